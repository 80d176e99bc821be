//===- SDFGBase.td - the sdfg dialect and its enums ------------*- tablegen -*-===//
#ifndef DMC_SDFG_BASE
#define DMC_SDFG_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def SDFG_Dialect : Dialect {
  let name = "sdfg";
  let cppNamespace = "::dmc::sdfg";
  let summary = "Stateful DataFlow multiGraphs: containers, states, maps, tasklets and memlets";
  let description = [{
    An `sdfg.sdfg` is a state machine whose states hold acyclic dataflow: maps (parallel scopes) of
    memlets and tasklets, copies, and library nodes of the `nn` dialect. Containers are SSA values of
    `!sdfg.array` type; every read and write of a container is an explicit op with a subset.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

class SDFG_Op<string mnemonic, list<Trait> traits = []> : Op<SDFG_Dialect, mnemonic, traits>;

def SDFG_Storage : I32EnumAttr<"Storage", "where a container's memory lives", [
    I32EnumAttrCase<"heap", 0>, I32EnumAttrCase<"stack", 1>,
    I32EnumAttrCase<"reg", 2, "register">, I32EnumAttrCase<"thread_local_", 3, "thread_local">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::dmc::sdfg";
}
def SDFG_StorageAttr : EnumAttr<SDFG_Dialect, SDFG_Storage, "storage"> {
  let assemblyFormat = "`<` $value `>`";
}

def SDFG_Lifetime : I32EnumAttr<"Lifetime", "how long a container's memory is held", [
    I32EnumAttrCase<"scope", 0>, I32EnumAttrCase<"state", 1>, I32EnumAttrCase<"sdfg", 2>,
    I32EnumAttrCase<"persistent", 3>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::dmc::sdfg";
}
def SDFG_LifetimeAttr : EnumAttr<SDFG_Dialect, SDFG_Lifetime, "lifetime"> {
  let assemblyFormat = "`<` $value `>`";
}

def SDFG_Schedule : I32EnumAttr<"Schedule", "how a map's iterations run", [
    I32EnumAttrCase<"sequential", 0>, I32EnumAttrCase<"omp", 1>, I32EnumAttrCase<"vector", 2>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::dmc::sdfg";
}
def SDFG_ScheduleAttr : EnumAttr<SDFG_Dialect, SDFG_Schedule, "schedule"> {
  let assemblyFormat = "`<` $value `>`";
}

def SDFG_WCR : I32EnumAttr<"WCR", "write-conflict resolution of a memlet", [
    I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"max", 1>, I32EnumAttrCase<"min", 2>,
    I32EnumAttrCase<"product", 3>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::dmc::sdfg";
}
def SDFG_WCRAttr : EnumAttr<SDFG_Dialect, SDFG_WCR, "wcr"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif

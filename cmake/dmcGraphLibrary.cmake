# dmc_add_graph_library(<target> GRAPH <file>
#                       [OPT <0..3>]            -O level (default 3)
#                       [BIND <NAME=VALUE>...]  symbols fixed at compile time; the others stay run-time arguments
#                       [TEST_SIZE]             the graph's test_symbols
#                       [PASSES <pipeline>]     a --passes pipeline instead of the -O level's
#                       [TARGET_CPU <cpu>]      dmc's --target-cpu (default portable: any x86-64)
#                       [NAME <graph name>]     needed only when GRAPH is not a .json (read from it otherwise)
#                       [OUTPUT_DIRECTORY <dir>])  default: ${CMAKE_CURRENT_BINARY_DIR}/<target>
#
# Compiles GRAPH with dmc::dmc at build time (rerun when the graph file or dmc changes) into
# <dir>/lib<NAME>.so, <dir>/<NAME>.h and <dir>/<NAME>.manifest.json (and libdmcrt.so, which the library
# loads from its own folder when nothing loaded the runtime before it), and makes <target> an imported shared
# library: link it (target_link_libraries(app PRIVATE <target>)) to get the header's include folder, the
# library and dmc::runtime; $<TARGET_FILE:<target>> is the library's path (dmc.load in Python). Target
# properties DMC_GRAPH_NAME, DMC_HEADER and DMC_MANIFEST name the rest. See docs/cmake.md.
function(dmc_add_graph_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "TEST_SIZE" "GRAPH;OPT;PASSES;TARGET_CPU;NAME;OUTPUT_DIRECTORY" "BIND")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "dmc_add_graph_library(${target}): unknown arguments '${arg_UNPARSED_ARGUMENTS}'")
  endif()
  if(NOT arg_GRAPH)
    message(FATAL_ERROR "dmc_add_graph_library(${target}): GRAPH <file> is required")
  endif()
  get_filename_component(graph "${arg_GRAPH}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${graph}")
    message(FATAL_ERROR "dmc_add_graph_library(${target}): graph file '${graph}' does not exist")
  endif()

  set(opt 3)
  if(DEFINED arg_OPT)
    if(NOT arg_OPT MATCHES "^[0-3]$")
      message(FATAL_ERROR "dmc_add_graph_library(${target}): OPT must be 0, 1, 2 or 3, got '${arg_OPT}'")
    endif()
    set(opt ${arg_OPT})
  endif()

  # The graph's name gives the file names dmc writes; a .json graph says it in "name".
  set(name "${arg_NAME}")
  if(NOT name)
    if(NOT graph MATCHES "\\.json$")
      message(FATAL_ERROR "dmc_add_graph_library(${target}): NAME <graph name> is required for '${graph}'")
    endif()
    file(READ "${graph}" text)
    string(JSON name ERROR_VARIABLE json_error GET "${text}" name)
    if(json_error)
      message(FATAL_ERROR "dmc_add_graph_library(${target}): cannot read the graph's name from '${graph}': "
                          "${json_error}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${graph}")  # a renamed graph reconfigures
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "dmc_add_graph_library(${target}): graph name '${name}' is not an identifier")
  endif()

  set(options -O${opt})
  foreach(binding IN LISTS arg_BIND)
    if(NOT binding MATCHES "^[A-Za-z_][A-Za-z0-9_]*=[0-9]+$")
      message(FATAL_ERROR "dmc_add_graph_library(${target}): BIND expects NAME=VALUE, got '${binding}'")
    endif()
    list(APPEND options --bind ${binding})
  endforeach()
  if(arg_TEST_SIZE)
    list(APPEND options --test-size)
  endif()
  if(arg_PASSES)
    list(APPEND options "--passes=${arg_PASSES}")
  endif()
  if(arg_TARGET_CPU)
    if(NOT arg_TARGET_CPU MATCHES "^(portable|native|x86-64-v4|x86-64-v3|generic)$")
      message(FATAL_ERROR "dmc_add_graph_library(${target}): TARGET_CPU must be portable, native, x86-64-v4, "
                          "x86-64-v3 or generic, got '${arg_TARGET_CPU}'")
    endif()
    list(APPEND options "--target-cpu=${arg_TARGET_CPU}")
  endif()

  string(REPLACE ";" " " options_text "${options}")

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  if(arg_OUTPUT_DIRECTORY)
    get_filename_component(dir "${arg_OUTPUT_DIRECTORY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  # Exists at configure time: CMake checks an imported target's include folders when it generates.
  file(MAKE_DIRECTORY "${dir}")
  set(library "${dir}/lib${name}.so")
  set(header "${dir}/${name}.h")
  set(manifest "${dir}/${name}.manifest.json")
  add_custom_command(OUTPUT "${library}" "${header}" "${manifest}"
    COMMAND dmc::dmc compile "${graph}" ${options} -o "${library}"
    DEPENDS "${graph}" dmc::dmc
    COMMENT "dmc: compiling ${arg_GRAPH} (${options_text}) to lib${name}.so"
    VERBATIM)
  add_custom_target(${target}_dmc_compile DEPENDS "${library}" "${header}" "${manifest}")

  add_library(${target} SHARED IMPORTED GLOBAL)
  # No SONAME in dmc's libraries: linked by -l, so that executables record "lib<NAME>.so", not this path.
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${library}"
    IMPORTED_NO_SONAME TRUE
    INTERFACE_INCLUDE_DIRECTORIES "${dir}"
    INTERFACE_LINK_LIBRARIES dmc::runtime
    DMC_GRAPH_NAME "${name}"
    DMC_HEADER "${header}"
    DMC_MANIFEST "${manifest}")
  add_dependencies(${target} ${target}_dmc_compile)
endfunction()

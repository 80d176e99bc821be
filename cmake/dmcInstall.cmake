# `cmake --install BUILD --prefix P` lays out dmc for users (docs/cmake.md):
#   P/bin/dmc, P/bin/dmc-opt                 the tools (run paths: P/lib and LLVM's library folder)
#   P/lib/libdmcrt.so, P/include/dmc/runtime  the runtime (runtime/CMakeLists.txt installs it)
#   P/lib/cmake/dmc/                          the package: find_package(dmc) gives dmc::dmc (the compiler),
#                                             dmc::runtime (libdmcrt) and dmc_add_graph_library()
# An installed dmc compiles against P/include and P/lib (compiler/backend/Compile.cpp, runtimePaths), so
# nothing installed refers to the build tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DMC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/dmc)
file(RELATIVE_PATH dmc_library_from_bin ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})

set_target_properties(dmcrt PROPERTIES EXPORT_NAME runtime)
# $ORIGIN: libdmcrt beside the tools wherever the prefix is; USE_LINK_PATH adds LLVM's folder for libMLIR.
set_target_properties(dmc dmc-opt PROPERTIES
  INSTALL_RPATH "\$ORIGIN/${dmc_library_from_bin}"
  INSTALL_RPATH_USE_LINK_PATH TRUE)
set_target_properties(dmc PROPERTIES EXPORT_NAME dmc)
set_target_properties(dmc-opt PROPERTIES EXPORT_NAME dmc-opt)
install(TARGETS dmc dmc-opt EXPORT dmcTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT dmcTargets NAMESPACE dmc:: FILE dmcTargets.cmake DESTINATION ${DMC_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/dmcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/dmcConfig.cmake INSTALL_DESTINATION ${DMC_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/dmcConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/dmcConfig.cmake ${PROJECT_BINARY_DIR}/cmake/dmcConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/dmcGraphLibrary.cmake
        DESTINATION ${DMC_INSTALL_CMAKEDIR})

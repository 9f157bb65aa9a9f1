# `cmake --install build [--prefix P]` (docs/library.md):
#   P/bin/crit                              the command
#   P/lib/libcrit.so, P/include/crit/       the library and its one header
#   P/lib/cmake/crit/                       find_package(crit) -> target crit::crit
#   P/share/crit/{rules,bindings}           the shipped packs and bindings (the binary
#                                           finds share/crit/bindings next to its bin/)
#   P/lib/python3/dist-packages/crit/       the Python module, when built
include(CMakePackageConfigHelpers)
set(CRIT_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/crit)

install(TARGETS crit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS crit_shared EXPORT critTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/crit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rules DESTINATION ${CMAKE_INSTALL_DATADIR}/crit)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/bindings DESTINATION ${CMAKE_INSTALL_DATADIR}/crit)

install(EXPORT critTargets NAMESPACE crit:: DESTINATION ${CRIT_CMAKEDIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/critConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/critConfig.cmake INSTALL_DESTINATION ${CRIT_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/critConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/critConfig.cmake ${CMAKE_BINARY_DIR}/critConfigVersion.cmake
        DESTINATION ${CRIT_CMAKEDIR})

include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3.10)
include("${CMAKE_CURRENT_LIST_DIR}/actionhost-sdk-targets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/ActionhostAddPlugin.cmake")

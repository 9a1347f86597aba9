# actionhost_add_plugin(NAME [OUTPUT_DIRECTORY DIR] SOURCES...)
#
# Builds NAME.so, an actionhost plugin, so that the server can really unload it: hidden
# visibility (only the entry symbol exported), no STB_GNU_UNIQUE symbols (-fno-gnu-unique),
# no undefined symbols (a plugin never links the server). After each build the library is
# checked for UNIQUE symbols, and the build fails if it has any.
set(_ACTIONHOST_SDK_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "where CheckNoUniqueSymbols.cmake is")

function(actionhost_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(sources ${PLUGIN_SOURCES} ${PLUGIN_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR "actionhost_add_plugin(${name}): no SOURCES given")
  endif()
  add_library(${name} MODULE ${sources})
  target_link_libraries(${name} PRIVATE actionhost::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # -Wno-missing-field-initializers: the SDK is meant for designated initializers that leave
  # out what an action does not use.
  target_compile_options(${name} PRIVATE -fno-gnu-unique -Wno-missing-field-initializers)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  if(PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DPLUGIN=$<TARGET_FILE:${name}>
            -P "${_ACTIONHOST_SDK_CMAKE_DIR}/CheckNoUniqueSymbols.cmake"
    VERBATIM)
endfunction()

# actionhost_add_plugin(NAME [OUTPUT_DIRECTORY DIR] [SOURCES] sources... [LIBRARIES libs...])
#
# Builds NAME.so, an actionhost plugin, so that the server can really unload it: hidden
# visibility (only the entry symbol exported), no STB_GNU_UNIQUE symbols (-fno-gnu-unique,
# GCC), no undefined symbols (a plugin never links the server), and no symbol of a static
# library exported (-Wl,--exclude-libs,ALL). After each build the library is checked for
# UNIQUE symbols, and the build fails if it has any.
#
# LIBRARIES are linked into the plugin (privately). A static or object library of your own
# project listed there (or linked by one listed there) is given the settings of
# actionhost_add_plugin_library below, so a plain add_library(util STATIC ...) works too.
# ACTIONHOST_PLUGIN(...) must be in the plugin's own SOURCES, not in a library.
#
# actionhost_add_plugin_library(NAME [STATIC|OBJECT] sources...)
#
# A library (static by default) to share code between plugins, compiled as plugin code is:
# position-independent, hidden visibility, inline functions hidden, -fno-gnu-unique (GCC).
# It links actionhost::sdk, so it may use sdk.hpp. Link it with
# actionhost_add_plugin(... LIBRARIES NAME) or target_link_libraries(PLUGIN PRIVATE NAME).
#
# ACTIONHOST_PLUGIN_INSTALL_DIR (set by the package): where the server's install looks for
# plugins, relative to the install prefix, e.g.
#   install(TARGETS NAME LIBRARY DESTINATION ${ACTIONHOST_PLUGIN_INSTALL_DIR})
set(_ACTIONHOST_SDK_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "where CheckNoUniqueSymbols.cmake is")

# What every piece of code that ends up in a plugin is compiled with.
function(_actionhost_plugin_code_settings target)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    ACTIONHOST_PLUGIN_CODE ON)
  # -fno-gnu-unique: GCC only (clang never emits STB_GNU_UNIQUE and rejects the flag).
  # -Wno-missing-field-initializers: the SDK is meant for designated initializers that leave
  # out what an action does not use.
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>
    $<$<COMPILE_LANG_AND_ID:C,GNU>:-fno-gnu-unique>
    $<$<COMPILE_LANGUAGE:CXX>:-Wno-missing-field-initializers>)
endfunction()

# Gives the plugin settings to LIBS (and the static libraries they link), where they are
# static or object libraries built by this project; imported and shared ones are left alone.
function(_actionhost_prepare_plugin_libraries)
  set(pending ${ARGN})
  set(seen)
  while(pending)
    list(POP_FRONT pending lib)
    if(NOT TARGET "${lib}" OR lib IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${lib}")
    get_target_property(aliased "${lib}" ALIASED_TARGET)
    if(aliased)
      list(APPEND pending "${aliased}")
      continue()
    endif()
    get_target_property(imported "${lib}" IMPORTED)
    get_target_property(type "${lib}" TYPE)
    if(imported OR NOT type MATCHES "^(STATIC_LIBRARY|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(done "${lib}" ACTIONHOST_PLUGIN_CODE)
    if(NOT done)
      _actionhost_plugin_code_settings("${lib}")
    endif()
    get_target_property(links "${lib}" LINK_LIBRARIES)
    if(links)
      list(APPEND pending ${links})
    endif()
  endwhile()
endfunction()

function(actionhost_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  set(sources ${PLUGIN_SOURCES} ${PLUGIN_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR "actionhost_add_plugin(${name}): no SOURCES given")
  endif()
  add_library(${name} MODULE ${sources})
  target_link_libraries(${name} PRIVATE actionhost::sdk)
  set_target_properties(${name} PROPERTIES PREFIX "")
  _actionhost_plugin_code_settings(${name})
  target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,--exclude-libs,ALL)
  if(PLUGIN_LIBRARIES)
    _actionhost_prepare_plugin_libraries(${PLUGIN_LIBRARIES})
    target_link_libraries(${name} PRIVATE ${PLUGIN_LIBRARIES})
  endif()
  if(PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DPLUGIN=$<TARGET_FILE:${name}>
            -P "${_ACTIONHOST_SDK_CMAKE_DIR}/CheckNoUniqueSymbols.cmake"
    VERBATIM)
endfunction()

function(actionhost_add_plugin_library name)
  set(kind STATIC)
  set(sources ${ARGN})
  if(sources)
    list(GET sources 0 first)
    if(first MATCHES "^(STATIC|OBJECT)$")
      set(kind ${first})
      list(POP_FRONT sources)
    elseif(first MATCHES "^(SHARED|MODULE|INTERFACE)$")
      message(FATAL_ERROR "actionhost_add_plugin_library(${name}): ${first} is not supported; a library "
                          "shared between plugins is STATIC (or OBJECT), linked into each plugin")
    endif()
  endif()
  if(NOT sources)
    message(FATAL_ERROR "actionhost_add_plugin_library(${name}): no sources given")
  endif()
  add_library(${name} ${kind} ${sources})
  target_link_libraries(${name} PUBLIC actionhost::sdk)
  _actionhost_plugin_code_settings(${name})
endfunction()

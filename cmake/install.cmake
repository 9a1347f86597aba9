# What `cmake --install BUILD [--prefix P] [--component server|sdk]` writes (README,
# "Installing"), relative to P (default /usr/local):
#
#   component server
#     bin/actionhost                          the server (bin/actionhost-cli: cli/CMakeLists.txt)
#     lib/actionhost/plugins/*.so             the shipped plugins: the installed plugins.dir
#     lib/actionhost/examples/*.so            the example plugins (plugins/examples), not loaded
#     etc/actionhost/actionhost.toml          config/actionhost.toml, every comment kept, its paths
#                                             made absolute (/etc/actionhost/... when P is /usr)
#     share/actionhost/public/                files.public_dir (empty)
#     share/actionhost/make-dev-cert.sh       makes a development certificate (socket.cert/key)
#     lib/systemd/system/actionhost.service   config/actionhost.service with P's paths
#     share/doc/actionhost/README.md
#   component sdk (sdk/CMakeLists.txt)
#     include/actionhost/, lib/cmake/actionhost-sdk/, share/doc/actionhost/sdk/README.md,
#     bin/actionhost-new-plugin (scripts/new-plugin)
#
# lib is CMAKE_INSTALL_LIBDIR (GNUInstallDirs: lib/x86_64-linux-gnu when P is /usr). The config
# and the unit name P's paths at install time, so --prefix given to `cmake --install` holds.
# An etc/actionhost/actionhost.toml that is already there and differs is kept: the new one is
# written beside it as actionhost.toml.new.
include(GNUInstallDirs)

set(ACTIONHOST_INSTALL_EXAMPLEDIR "${CMAKE_INSTALL_LIBDIR}/actionhost/examples")
set(ACTIONHOST_INSTALL_SHAREDIR "${CMAKE_INSTALL_DATADIR}/actionhost")

# The module libraries defined in a folder (plugins/, plugins/examples/).
function(_actionhost_modules_of folder out)
  get_property(targets DIRECTORY ${folder} PROPERTY BUILDSYSTEM_TARGETS)
  set(modules)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "MODULE_LIBRARY")
      list(APPEND modules ${target})
    endif()
  endforeach()
  if(NOT modules)
    message(FATAL_ERROR "cmake/install.cmake: no plugin targets in ${folder}")
  endif()
  set(${out} ${modules} PARENT_SCOPE)
endfunction()
_actionhost_modules_of(${PROJECT_SOURCE_DIR}/plugins _actionhost_shipped_plugins)
_actionhost_modules_of(${PROJECT_SOURCE_DIR}/plugins/examples _actionhost_example_plugins)

install(TARGETS actionhost RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(TARGETS ${_actionhost_shipped_plugins}
        LIBRARY DESTINATION ${ACTIONHOST_INSTALL_PLUGINDIR} COMPONENT server)
install(TARGETS ${_actionhost_example_plugins}
        LIBRARY DESTINATION ${ACTIONHOST_INSTALL_EXAMPLEDIR} COMPONENT server)
install(DIRECTORY DESTINATION ${ACTIONHOST_INSTALL_SHAREDIR}/public COMPONENT server)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/certs/make-dev-cert.sh DESTINATION ${ACTIONHOST_INSTALL_SHAREDIR}
        COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/actionhost
        COMPONENT server)

# The config and the systemd unit, made at install time from config/, with the install prefix
# (known only then) in their paths. Relative folders are baked in now; the rest runs in
# cmake_install.cmake.
install(CODE "
set(_ah_source_dir [==[${PROJECT_SOURCE_DIR}]==])
set(_ah_scratch [==[${CMAKE_BINARY_DIR}/install-generated]==])
set(_ah_bindir [==[${CMAKE_INSTALL_BINDIR}]==])
set(_ah_sysconfdir [==[${CMAKE_INSTALL_SYSCONFDIR}]==])
set(_ah_plugindir [==[${ACTIONHOST_INSTALL_PLUGINDIR}]==])
set(_ah_exampledir [==[${ACTIONHOST_INSTALL_EXAMPLEDIR}]==])
set(_ah_sharedir [==[${ACTIONHOST_INSTALL_SHAREDIR}]==])
set(_ah_docdir [==[${CMAKE_INSTALL_DATAROOTDIR}/doc/actionhost]==])
" COMPONENT server)
install(CODE [==[
# DIR under the install prefix, as the installed server will see it (without DESTDIR).
function(_ah_full out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  elseif(dir STREQUAL "etc" AND CMAKE_INSTALL_PREFIX MATCHES "^/usr/?$")
    set(${out} "/etc" PARENT_SCOPE)  # as GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
# Replaces FROM (which must be there) by TO in the variable TEXT, whose origin is FILE.
function(_ah_replace text file from to)
  string(FIND "${${text}}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "install: ${file} no longer contains `${from}`; update cmake/install.cmake")
  endif()
  string(REPLACE "${from}" "${to}" replaced "${${text}}")
  set(${text} "${replaced}" PARENT_SCOPE)
endfunction()
# A TOML basic string holding VALUE.
function(_ah_toml out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

_ah_full(_ah_bin "${_ah_bindir}")
_ah_full(_ah_etc "${_ah_sysconfdir}")
set(_ah_etc "${_ah_etc}/actionhost")
_ah_full(_ah_plugins "${_ah_plugindir}")
_ah_full(_ah_examples "${_ah_exampledir}")
_ah_full(_ah_share "${_ah_sharedir}")
_ah_full(_ah_doc "${_ah_docdir}")
file(MAKE_DIRECTORY "${_ah_scratch}")

# etc/actionhost/actionhost.toml: every comment kept; the paths that were relative to the
# checkout point into the install.
set(_ah_file "${_ah_source_dir}/config/actionhost.toml")
file(READ "${_ah_file}" _ah_toml_text)
_ah_replace(_ah_toml_text "${_ah_file}" "\n\n[server]\n"
  "\n# Installed by `cmake --install` from actionhost's config/actionhost.toml, with the paths of\n# this install (${CMAKE_INSTALL_PREFIX}); the server reads it with --config ${_ah_etc}/actionhost.toml.\n\n[server]\n")
_ah_toml(_ah_value "${_ah_plugins}")
_ah_replace(_ah_toml_text "${_ah_file}" "\ndir = \"build/plugins\"\n" "\ndir = ${_ah_value}\n")
_ah_toml(_ah_value "${_ah_etc}/certs/server-cert.pem")
_ah_replace(_ah_toml_text "${_ah_file}" "\ncert = \"certs/server-cert.pem\"\n" "\ncert = ${_ah_value}\n")
_ah_toml(_ah_value "${_ah_etc}/certs/server-key.pem")
_ah_replace(_ah_toml_text "${_ah_file}" "\nkey = \"certs/server-key.pem\"\n" "\nkey = ${_ah_value}\n")
_ah_toml(_ah_value "${_ah_share}/public")
_ah_replace(_ah_toml_text "${_ah_file}" "\npublic_dir = \"public\"\n" "\npublic_dir = ${_ah_value}\n")
_ah_replace(_ah_toml_text "${_ah_file}" " certs/make-dev-cert.sh\n"
  "\n# ${_ah_share}/make-dev-cert.sh ${_ah_etc}/certs\n")
_ah_replace(_ah_toml_text "${_ah_file}" "build/examples/token_auth.so" "${_ah_examples}/token_auth.so")
file(WRITE "${_ah_scratch}/actionhost.toml" "${_ah_toml_text}")
set(_ah_name actionhost.toml)
if(EXISTS "$ENV{DESTDIR}${_ah_etc}/actionhost.toml")
  file(READ "$ENV{DESTDIR}${_ah_etc}/actionhost.toml" _ah_installed)
  if(NOT _ah_installed STREQUAL _ah_toml_text)
    set(_ah_name actionhost.toml.new)
    message(STATUS "Keeping $ENV{DESTDIR}${_ah_etc}/actionhost.toml, which differs from this version's; "
                   "this version's is actionhost.toml.new beside it")
  endif()
endif()
file(INSTALL "${_ah_scratch}/actionhost.toml" DESTINATION "${_ah_etc}" RENAME "${_ah_name}")

# lib/systemd/system/actionhost.service: config/actionhost.service with this install's paths.
set(_ah_file "${_ah_source_dir}/config/actionhost.service")
file(READ "${_ah_file}" _ah_unit)
# A path with a space is quoted on the command line, and %20 in the documentation's URL.
function(_ah_unit_path out path)
  if(path MATCHES "[ \t]")
    set(path "\"${path}\"")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()
_ah_unit_path(_ah_value "${_ah_bin}/actionhost")
_ah_replace(_ah_unit "${_ah_file}" "=/usr/bin/actionhost " "=${_ah_value} ")
_ah_unit_path(_ah_value "${_ah_etc}/actionhost.toml")
_ah_replace(_ah_unit "${_ah_file}" " /etc/actionhost/actionhost.toml\n" " ${_ah_value}\n")
string(REPLACE " " "%20" _ah_value "${_ah_doc}")
_ah_replace(_ah_unit "${_ah_file}" "file:/usr/share/doc/actionhost/" "file:${_ah_value}/")
# The header says which prefix the file is written for: this one.
_ah_replace(_ah_unit "${_ah_file}" "(as written here: P = /usr, whose\n# config is /etc/actionhost/actionhost.toml)"
            "(as written here: P = ${CMAKE_INSTALL_PREFIX}, whose\n# config is ${_ah_etc}/actionhost.toml)")
file(WRITE "${_ah_scratch}/actionhost.service" "${_ah_unit}")
file(INSTALL "${_ah_scratch}/actionhost.service" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
]==] COMPONENT server)

// not_a_plugin: a shared library without the entry symbol.
extern "C" __attribute__((visibility("default"))) int some_other_function(void) { return 42; }

// Include before ITK's headers in a .cpp of lb_render, and ItkHeadersEnd.h after them (no
// include guard: each .cpp includes the pair once).
// Debian's ITK 5.2 was configured with GCC 12, and its generated compiler-detection headers
// stop with "Unsupported compiler" for anything else. The sanitizer and fuzzing build uses clang,
// which speaks GCC's dialect: ITK's headers are shown GCC 12's face, and clang's own macros come
// back right after them (push_macro / pop_macro in ItkHeadersEnd.h).
#if defined(__clang__)
#define LB_CLANG_HIDDEN_FROM_ITK
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wbuiltin-macro-redefined"
#pragma push_macro("__clang__")
#pragma push_macro("__GNUC__")
#pragma push_macro("__GNUC_MINOR__")
#undef __clang__
#undef __GNUC__
#undef __GNUC_MINOR__
#define __GNUC__ 12
#define __GNUC_MINOR__ 2
#endif

// After ITK's headers: clang's own macros back (see ItkHeadersBegin.h).
#if defined(LB_CLANG_HIDDEN_FROM_ITK)
#pragma pop_macro("__GNUC_MINOR__")
#pragma pop_macro("__GNUC__")
#pragma pop_macro("__clang__")
#pragma clang diagnostic pop
#undef LB_CLANG_HIDDEN_FROM_ITK
#endif

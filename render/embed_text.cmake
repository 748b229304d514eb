# Writes OUTPUT: a C++ file defining `const char* const SYMBOL` (namespace NAMESPACE) holding
# the text of INPUT.
file(READ ${INPUT} text)
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by embed_text.cmake. Do not edit.\nnamespace ${NAMESPACE} {\nextern const char* const ${SYMBOL};\nconst char* const ${SYMBOL} = R\"lbtext(${text})lbtext\";\n}\n")

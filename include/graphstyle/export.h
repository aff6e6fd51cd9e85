/* Which symbols libgraphstyle.so exports: the public headers' declarations and nothing else. The
 * library is compiled with -fvisibility=hidden; each public header puts its declarations between
 * GRAPHSTYLE_EXPORT_BEGIN and GRAPHSTYLE_EXPORT_END (after its #includes), so that a function or
 * class added to a public header is exported without further marking, and nothing internal is.
 * The exported_symbols test checks the .so's table against this rule. */
#ifndef GRAPHSTYLE_EXPORT_H
#define GRAPHSTYLE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define GRAPHSTYLE_EXPORT_BEGIN _Pragma("GCC visibility push(default)")
#define GRAPHSTYLE_EXPORT_END _Pragma("GCC visibility pop")
#else
#define GRAPHSTYLE_EXPORT_BEGIN
#define GRAPHSTYLE_EXPORT_END
#endif

#endif /* GRAPHSTYLE_EXPORT_H */

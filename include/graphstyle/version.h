/* graphstyle's version, for C and C++. CMake reads the three numbers from here. */
#ifndef GRAPHSTYLE_VERSION_H
#define GRAPHSTYLE_VERSION_H

#define GRAPHSTYLE_VERSION_MAJOR 0
#define GRAPHSTYLE_VERSION_MINOR 2
#define GRAPHSTYLE_VERSION_PATCH 0
#define GRAPHSTYLE_VERSION_STRING "0.2.0"

#endif

#pragma once
// The engine's version and the git revision it was built from, as the build defines them.
#ifndef SENDPLAN_VERSION
#define SENDPLAN_VERSION "unknown"
#endif
#ifndef SENDPLAN_GIT_REVISION
#define SENDPLAN_GIT_REVISION "unknown"
#endif

// Fixture of scripts/check-layers.sh: core reaching up into the analyses' public header.
#include "custlens/profile.h"
#include "common/name_list.h"
#include "io/table_builder.h"

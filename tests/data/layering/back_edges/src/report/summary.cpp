// Fixture of scripts/check-layers.sh: allowed downward edges, and one public header with no layer.
#include "analysis/tiers.h"
#include "custlens/rfm.h"
#include "custlens/unplaced.h"
#include "report/summary.h"

// Fixture of scripts/check-layers.sh: common/ reaching up into io's public header.
#pragma once
#include "custlens/ingest.h"

// Section `events_items`: the 20 items with the most page views (`items`), their users, purchases
// and conversion (buys / pv), as a table (built with the categories' one).
#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

std::optional<Section> build_events_items(const SectionContext& context) {
  return build_events_key_table(context, true);
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_items, 755, build_events_items);

}  // namespace custlens::report

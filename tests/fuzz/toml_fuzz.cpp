// Fuzz target: the TOML files a user may pass (tier rules, scoring bins, category map, the order
// and profile playbooks). The same text goes to each loader; a tier scheme that loads is also
// applied to a few customers.
#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/categories.h"
#include "analysis/scoring.h"
#include "analysis/tiers.h"
#include "custlens/error.h"
#include "report/playbook.h"

namespace {

template <class Fn>
void quietly(Fn&& fn) {
  try {
    fn();
  } catch (const custlens::Error&) {
    // Bad TOML or a bad rule is a user error with a message, not a finding.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  quietly([&] {
    const custlens::analysis::TierScheme scheme =
        custlens::analysis::parse_tier_rules(text, "fuzz.toml");
    const std::vector<int> r{1, 3, 5, 2}, f{5, 1, 3, 2}, m{2, 5, 1, 4};
    const std::vector<double> recency{1, 400, 30, 0}, frequency{9, 1, 3, 2},
        monetary{10.5, 1e6, 0, 3};
    custlens::analysis::TierInputs inputs{r, f, m, recency, frequency, monetary};
    custlens::analysis::assign_segments(scheme, inputs);
  });
  quietly([&] {
    const custlens::analysis::ScoringRules rules =
        custlens::analysis::parse_scoring_rules(text, "fuzz.toml");
    for (const auto* bins : {&rules.recency, &rules.frequency, &rules.monetary}) {
      if (*bins) {
        for (double value : {-1.0, 0.0, 1.0, 1e9}) (*bins)->score(value);
      }
    }
  });
  quietly([&] {
    const auto map = custlens::analysis::CategoryMap::parse(text, "fuzz.toml");
    map.classify("Red retro mug, ceramic");
    map.classify("");
  });
  quietly([&] { custlens::report::Playbook::parse(text, "fuzz.toml"); });
  quietly([&] { custlens::report::ProfilePlaybook::parse(text, "fuzz.toml"); });
  return 0;
}

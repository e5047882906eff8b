// The campaign readout's outputs (`custlens campaign`, docs/campaign.md): the `campaign` object of
// --json and summary.json, written once here from the typed readouts, the verdict in words and
// the text in English or Chinese.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/campaign.h"
#include "core/contact_list.h"
#include "custlens/lang.h"

namespace custlens::report {

struct CampaignRun {
  core::ContactList contacts;  ///< its audit and roles (the contacts themselves are not written)
  analysis::CampaignOptions options;
  std::vector<analysis::CampaignReadout> readouts;
};

/// Whether the conversion uplift is distinguishable from chance at 5 %, with its numbers:
/// "Treatment converted 12.0% vs 8.0% in control: +4.0 pp, 95 % CI 1.0 to 7.0, p = 0.010. ...".
std::string campaign_verdict(const analysis::Comparison& comparison, Lang lang);

/// The `campaign` object: contacts (audit), window_days, margin, planned_split, campaigns[].
nlohmann::json campaign_to_json(const CampaignRun& run, Lang lang);

/// The readouts as text.
std::string campaign_text(const CampaignRun& run, Lang lang);

}  // namespace custlens::report

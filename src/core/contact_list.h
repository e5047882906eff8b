// Contact lists of campaigns (docs/campaign.md): the column roles (scored by core/role_matcher.h,
// English and Chinese names), the row checks, and the contacts of each campaign with their group.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/roles.h"

namespace custlens::core {

/// What a column of a contact list means.
enum class ContactRole : int {
  kCustomer,  ///< customer_id, 客户ID
  kCampaign,  ///< campaign, 活动 (optional: one campaign named after the file without it)
  kGroup,     ///< group: treatment|test|实验组 or control|holdout|对照组
  kSentAt,    ///< sent_at, 发送时间: YYYY-MM-DD, optionally with a time of day
  kChannel,   ///< channel, 渠道 (optional)
  kCost,      ///< cost of the contact, 成本 (optional; empty = 0)
  kDecile,    ///< decile of `custlens predict` targets.csv (optional)
  kScore,     ///< score of `custlens predict` targets.csv (optional)
  kTier,      ///< tier of targets.csv (optional; kept by `contacts`, not used by the readout)
  kCount_     ///< number of roles; not a role
};
inline constexpr std::size_t kContactRoleCount = static_cast<std::size_t>(ContactRole::kCount_);

/// customer, campaign, group, sent_at, channel, cost, decile, score, tier.
std::string_view contact_role_name(ContactRole role);

using ContactRoleMap = RoleColumns<ContactRole, kContactRoleCount>;

/// Detects the roles by aliases and header words; `overrides` are --contacts-map role=column
/// pairs and win. Throws custlens::Error for an unknown role or column or a tie.
ContactRoleMap detect_contact_roles(
    std::span<const std::string> header,
    std::span<const std::pair<std::string, std::string>> overrides = {});

/// Throws custlens::Error naming --contacts-map when a role in `required` has no column.
void require_contact_roles(const ContactRoleMap& roles, std::span<const ContactRole> required,
                           std::span<const std::string> header, std::string_view file);

/// "treatment" for treatment|test|experiment|实验组|处理组|测试组, "control" for
/// control|holdout|对照组|控制组 (ASCII case ignored), "" otherwise.
std::string_view parse_group(std::string_view text);

/// A sent_at value as Unix seconds: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time
/// (HH:MM or HH:MM:SS, after a space or 'T'); false when it is none of these.
bool parse_sent_at(std::string_view text, std::int64_t& seconds);

/// One kept contact.
struct Contact {
  std::string customer_id;     ///< normalised as order lines' ids (normalise_customer_id)
  std::uint32_t campaign = 0;  ///< index into ContactList::campaigns
  bool treatment = false;
  std::int64_t sent_day = 0;  ///< days since 1970-01-01 (the local day of sent_at)
  double cost = 0;
  std::string channel;
  int decile = 0;       ///< 0 when the list has no decile column
  double score = 0;     ///< meaningful when ContactList::has_score
  std::size_t row = 0;  ///< the row in the data set read (for `contacts`)
};

/// Counts of the row checks; every data row is malformed, rejected by one rule, or kept.
struct ContactAudit {
  std::int64_t rows_read = 0;
  std::int64_t rows_kept = 0;
  /// Rejected rows per rule (malformed, missing_customer, missing_campaign, bad_group,
  /// bad_sent_at, bad_cost, bad_decile, bad_score, duplicate_contact), rules with none left out.
  std::vector<std::pair<std::string, std::int64_t>> rejected;
  std::int64_t rows_rejected() const;
};

struct ContactList {
  std::string file;
  std::vector<std::string> header;
  ContactRoleMap roles;
  std::vector<std::string> campaigns;  ///< in order of first appearance
  std::vector<Contact> contacts;       ///< kept rows, in input order
  bool has_cost = false, has_channel = false, has_decile = false, has_score = false;
  ContactAudit audit;
  std::vector<Reject> rejects;  ///< in line order; the customer field located for --hash-ids
};

/// ReadOptions for a contact list: every column read as text. `base` carries the encoding,
/// delimiter and sheet.
ReadOptions contact_read_options(const std::vector<std::string>& header, ReadOptions base);

/// The row checks of docs/campaign.md, "Contact list", on a data set read with
/// contact_read_options. Needs the customer, group and sent_at roles (require_contact_roles).
/// Without a campaign column every row belongs to `default_campaign`. A customer listed more
/// than once in one campaign: every such row is rejected (duplicate_contact).
ContactList check_contacts(Dataset data, const std::vector<std::string>& header,
                           const ContactRoleMap& roles, const std::string& default_campaign);

}  // namespace custlens::core

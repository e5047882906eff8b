// Contact lists: role aliases and word patterns, the sent_at and group readers, the row checks.
#include "core/contact_list.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "common/magnitude.h"
#include "core/role_matcher.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "io/dates.h"
#include "io/table_builder.h"

namespace custlens::core {
namespace {

// Written normalised (normalize_header_name): lower-case ASCII, no separators.
constexpr std::string_view kCustomer[] = {"customerid", "userid", "customer", "user",
                                          "memberid",   "客户id", "用户id",   "会员id",
                                          "客户编号",   "客户"};
constexpr std::string_view kCampaign[] = {"campaign", "campaignname", "campaignid", "活动",
                                          "活动名称", "营销活动",     "活动id"};
constexpr std::string_view kGroup[] = {"group",      "arm",  "variant", "testgroup",
                                       "assignment", "组别", "分组",    "实验分组"};
constexpr std::string_view kSentAt[] = {"sentat",   "sentdate",  "senddate",    "sent",
                                        "senttime", "contacted", "contactdate", "发送时间",
                                        "发送日期", "触达时间",  "触达日期"};
constexpr std::string_view kChannel[] = {"channel", "渠道", "触达渠道", "发送渠道"};
constexpr std::string_view kCost[] = {"cost", "contactcost", "成本", "费用", "触达成本"};
constexpr std::string_view kDecile[] = {"decile", "十分位", "分位"};
constexpr std::string_view kScore[] = {"score", "得分", "评分", "分数"};
constexpr std::string_view kTier[] = {"tier", "segment", "层级", "客户层级", "分层"};

constexpr RolePattern kCustomerPatterns[] = {{"customer|user|member|buyer id", 62},
                                             {"customer|user|member|buyer number|code", 58},
                                             {"customer|user|member|buyer", 45}};
constexpr RolePattern kCampaignPatterns[] = {{"campaign", 60}};
constexpr RolePattern kGroupPatterns[] = {{"group", 50}, {"arm|variant", 48}};
constexpr RolePattern kSentAtPatterns[] = {{"sent|send|contact date|time|timestamp", 60},
                                           {"sent|send", 50}};
constexpr RolePattern kChannelPatterns[] = {{"channel", 60}};
constexpr RolePattern kCostPatterns[] = {{"cost", 60}};
constexpr RolePattern kDecilePatterns[] = {{"decile", 60}};
constexpr RolePattern kScorePatterns[] = {{"score", 50}};
constexpr RolePattern kTierPatterns[] = {{"tier", 55}};

// In ContactRole order.
constexpr std::array<RoleRule, kContactRoleCount> kRoles = {{
    {"customer", kCustomer, kCustomerPatterns, kCustomerWords, "", "campaign|group|date|cost", "",
     ""},
    {"campaign", kCampaign, kCampaignPatterns, "name|id", "", "", "", ""},
    {"group", kGroup, kGroupPatterns, "test|experiment", "", "age|price", "", ""},
    {"sent_at", kSentAt, kSentAtPatterns, "sent|send|contact|date|time", "at", "", "", ""},
    {"channel", kChannel, kChannelPatterns, "contact|send", "", "", "", ""},
    {"cost", kCost, kCostPatterns, "contact|send|unit", "money", "", "", ""},
    {"decile", kDecile, kDecilePatterns, "score", "", "", "", ""},
    {"score", kScore, kScorePatterns, "model|predict|purchase", "", "decile", "", ""},
    {"tier", kTier, kTierPatterns, "customer|value|rfm", "", "", "", ""},
}};

RoleMatch match(std::span<const std::string> header,
                std::span<const std::pair<std::string, std::string>> overrides) {
  return match_roles(header, kRoles, resolve_overrides(kRoles, overrides, "contact roles"));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool equals_ascii_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr std::uint32_t kNoCampaign = static_cast<std::uint32_t>(-1);

// The reject rules in the audit's order.
constexpr std::string_view kRules[] = {"malformed",  "missing_customer", "missing_campaign",
                                       "bad_group",  "bad_sent_at",      "bad_cost",
                                       "bad_decile", "bad_score",        "duplicate_contact"};

}  // namespace

std::string_view contact_role_name(ContactRole role) {
  return kRoles[static_cast<std::size_t>(role)].name;
}

ContactRoleMap detect_contact_roles(
    std::span<const std::string> header,
    std::span<const std::pair<std::string, std::string>> overrides) {
  return role_columns<ContactRole, kContactRoleCount>(header, match(header, overrides));
}

void require_contact_roles(const ContactRoleMap& roles, std::span<const ContactRole> required,
                           std::span<const std::string> header, std::string_view file) {
  for (ContactRole role : required) {
    if (roles.has(role)) continue;
    const std::string_view name = contact_role_name(role);
    throw Error(fmt::format(
        "{}: no {} column in the contact list (columns: {}){}; use --contacts-map {}=<column>",
        file, name, quoted_header_list(header),
        roles.weak_candidates(role).empty() ? std::string()
                                            : "; too weak: " + roles.weak_candidates(role),
        name));
  }
}

std::int64_t ContactAudit::rows_rejected() const {
  std::int64_t total = 0;
  for (const auto& [rule, count] : rejected) total += count;
  return total;
}

std::string_view parse_group(std::string_view text) {
  text = trim(text);
  for (std::string_view word :
       {"treatment", "test", "experiment", "treated", "实验组", "处理组", "测试组", "实验"}) {
    if (equals_ascii_nocase(text, word)) return "treatment";
  }
  for (std::string_view word : {"control", "holdout", "hold-out", "对照组", "控制组", "对照"}) {
    if (equals_ascii_nocase(text, word)) return "control";
  }
  return "";
}

bool parse_sent_at(std::string_view text, std::int64_t& seconds) {
  text = trim(text);
  static constexpr std::string_view kFormats[] = {
      "%Y-%m-%d",       "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",    "%Y-%m-%dT%H:%M:%S",
      "%Y-%m-%dT%H:%M", "%Y/%m/%d",          "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"};
  for (std::string_view format : kFormats) {
    if (const std::optional<std::int64_t> parsed = io::parse_timestamp(text, format)) {
      seconds = *parsed;
      return true;
    }
  }
  return false;
}

ReadOptions contact_read_options(const std::vector<std::string>& header, ReadOptions base) {
  base.columns.clear();
  base.column_types.clear();
  for (const std::string& name : header) base.column_types.emplace_back(name, ColumnType::kString);
  return base;
}

ContactList check_contacts(Dataset data, const std::vector<std::string>& header,
                           const ContactRoleMap& roles, const std::string& default_campaign) {
  ContactList list;
  list.header = header;
  list.roles = roles;
  list.file = data.files.empty() ? std::string() : data.files.front();
  list.audit.rows_read = data.rows_read;
  const Table& table = data.table;
  auto column_of = [&](ContactRole role) -> const Column* {
    const int index = roles.column(role);
    return index < 0 ? nullptr : table.find(header[static_cast<std::size_t>(index)]);
  };
  const Column* customer = column_of(ContactRole::kCustomer);
  const Column* campaign = column_of(ContactRole::kCampaign);
  const Column* group = column_of(ContactRole::kGroup);
  const Column* sent_at = column_of(ContactRole::kSentAt);
  const Column* channel = column_of(ContactRole::kChannel);
  const Column* cost = column_of(ContactRole::kCost);
  const Column* decile = column_of(ContactRole::kDecile);
  const Column* score = column_of(ContactRole::kScore);
  if (customer == nullptr || group == nullptr || sent_at == nullptr) {
    throw Error("contact list: the customer, group and sent_at columns are needed");
  }
  list.has_channel = channel != nullptr;
  list.has_cost = cost != nullptr;
  list.has_decile = decile != nullptr;
  list.has_score = score != nullptr;

  std::array<std::int64_t, std::size(kRules)> counts{};
  counts[0] = static_cast<std::int64_t>(data.rejects.size());
  std::vector<Reject> rejects = std::move(data.rejects);
  auto text_at = [](const Column* column, std::size_t row) -> std::string_view {
    if (column == nullptr || column->is_null(row)) return {};
    return trim(column->string_at(row));
  };
  // The row as the rejects file shows it: every column, the customer field located.
  auto reject = [&](std::size_t row, std::size_t rule, std::string detail) {
    ++counts[rule];
    Reject r;
    r.file = data.files[data.row_file[row]];
    r.line = data.row_line[row];
    r.rule = std::string(kRules[rule]);
    r.detail = std::move(detail);
    for (std::size_t c = 0; c < table.num_columns(); ++c) {
      const Column& column = table.column(c);
      if (c) r.content += ',';
      if (&column == customer) r.id_begin = r.content.size();
      if (!column.is_null(row)) r.content += column.string_at(row);
      if (&column == customer) r.id_end = r.content.size();
    }
    rejects.push_back(std::move(r));
  };

  absl::flat_hash_map<std::string, std::uint32_t> campaign_index;
  for (std::size_t row = 0; row < table.num_rows(); ++row) {
    Contact contact;
    contact.row = row;
    contact.customer_id = normalise_customer_id(text_at(customer, row));
    if (contact.customer_id.empty()) {
      reject(row, 1, "empty customer id");
      continue;
    }
    std::string name = campaign ? std::string(text_at(campaign, row)) : default_campaign;
    if (name.empty()) {
      reject(row, 2, "empty campaign name");
      continue;
    }
    const std::string_view group_text = text_at(group, row);
    const std::string_view arm = parse_group(group_text);
    if (arm.empty()) {
      reject(row, 3,
             fmt::format("group '{}' is neither treatment (test, 实验组) nor control (holdout, "
                         "对照组)",
                         group_text));
      continue;
    }
    contact.treatment = arm == "treatment";
    std::int64_t seconds = 0;
    const std::string_view sent_text = text_at(sent_at, row);
    if (!parse_sent_at(sent_text, seconds)) {
      reject(row, 4, fmt::format("sent_at '{}' is not a date like 2024-03-01", sent_text));
      continue;
    }
    contact.sent_day = io::day_of(seconds);
    if (cost != nullptr) {
      const std::string_view cost_text = text_at(cost, row);
      if (!cost_text.empty() && (!io::parse_double(cost_text, contact.cost) ||
                                 !common::within_magnitude(contact.cost) || contact.cost < 0)) {
        reject(row, 5, fmt::format("cost '{}' is not a number of 0 or more", cost_text));
        continue;
      }
    }
    if (decile != nullptr) {
      const std::string_view decile_text = text_at(decile, row);
      double value = 0;
      if (!io::parse_double(decile_text, value) || value < 1 || value > 1000 ||
          value != std::floor(value)) {
        reject(row, 6, fmt::format("decile '{}' is not a whole number from 1", decile_text));
        continue;
      }
      contact.decile = static_cast<int>(value);
    }
    if (score != nullptr) {
      const std::string_view score_text = text_at(score, row);
      if (!io::parse_double(score_text, contact.score) || !std::isfinite(contact.score)) {
        reject(row, 7, fmt::format("score '{}' is not a number", score_text));
        continue;
      }
    }
    if (channel != nullptr) contact.channel = std::string(text_at(channel, row));
    const auto [it, added] =
        campaign_index.try_emplace(name, static_cast<std::uint32_t>(list.campaigns.size()));
    if (added) list.campaigns.push_back(name);
    contact.campaign = it->second;
    list.contacts.push_back(std::move(contact));
  }

  // A customer listed twice in one campaign: which row holds the true group is unknown, so
  // every row of that customer in that campaign is rejected.
  absl::flat_hash_map<std::pair<std::uint32_t, std::string_view>, std::int64_t> listed;
  for (const Contact& c : list.contacts) ++listed[{c.campaign, std::string_view(c.customer_id)}];
  std::vector<std::int64_t> times_listed;
  times_listed.reserve(list.contacts.size());
  for (const Contact& c : list.contacts) {
    times_listed.push_back(listed[{c.campaign, std::string_view(c.customer_id)}]);
  }
  listed.clear();  // its keys view the ids moved below
  std::vector<Contact> kept;
  kept.reserve(list.contacts.size());
  for (std::size_t i = 0; i < list.contacts.size(); ++i) {
    Contact& c = list.contacts[i];
    const std::int64_t times = times_listed[i];
    if (times > 1) {
      reject(c.row, 8,
             fmt::format("the customer is listed {} times in campaign '{}'", times,
                         list.campaigns[c.campaign]));
      continue;
    }
    kept.push_back(std::move(c));
  }
  list.contacts = std::move(kept);
  // A campaign whose every row was rejected has no readout: drop it, keep the others' order.
  std::vector<std::uint32_t> renumbered(list.campaigns.size(), kNoCampaign);
  std::vector<std::string> campaigns;
  for (Contact& c : list.contacts) {
    if (renumbered[c.campaign] == kNoCampaign) {
      renumbered[c.campaign] = static_cast<std::uint32_t>(campaigns.size());
      campaigns.push_back(list.campaigns[c.campaign]);
    }
    c.campaign = renumbered[c.campaign];
  }
  list.campaigns = std::move(campaigns);
  std::stable_sort(rejects.begin(), rejects.end(), [](const Reject& a, const Reject& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  list.rejects = std::move(rejects);
  for (std::size_t rule = 0; rule < std::size(kRules); ++rule) {
    if (counts[rule] > 0) list.audit.rejected.emplace_back(std::string(kRules[rule]), counts[rule]);
  }
  list.audit.rows_kept = static_cast<std::int64_t>(list.contacts.size());
  return list;
}

}  // namespace custlens::core

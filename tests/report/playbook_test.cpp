// Tests of src/report/playbook.cpp: the shipped share/playbook.toml, loader errors, the lookup by
// scheme and tier, and the JSON shape that the HTML report reads.
#include "report/playbook.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "analysis/tiers.h"
#include "custlens/error.h"

namespace custlens::report {
namespace {

// A valid tier: positioning and `actions` actions.
std::string tier(std::string_view header, int actions) {
  std::string text =
      fmt::format("[{}]\npositioning = {{ en = \"Best\", zh = \"最好\" }}\n", header);
  for (int i = 0; i < actions; ++i) {
    text += fmt::format("[[{}.actions]]\nen = \"Do {}\"\nzh = \"做 {}\"\n", header, i, i);
  }
  return text;
}

std::string error_of(std::string_view toml_text) {
  try {
    Playbook::parse(toml_text, "pb.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// The message is one line naming the file, the tier (when there is one) and the fault.
void expect_error(std::string_view toml_text, std::string_view tier_text, std::string_view fault) {
  const std::string message = error_of(toml_text);
  EXPECT_EQ(message.rfind("pb.toml", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find(tier_text), std::string::npos) << message;
  EXPECT_NE(message.find(fault), std::string::npos) << message;
}

TEST(PlaybookTest, ShippedFileCoversEveryTierOfEveryBuiltInScheme) {
  const Playbook playbook = Playbook::load(default_playbook_path());
  std::size_t tiers = 0;
  for (const std::string& name : analysis::builtin_tier_scheme_names()) {
    const analysis::TierScheme scheme = analysis::resolve_tier_scheme(name);
    for (const analysis::Segment& segment : scheme.segments) {
      const PlaybookEntry* entry = playbook.find(name, segment.name);
      ASSERT_NE(entry, nullptr) << name << " / " << segment.name;
      EXPECT_GE(entry->actions.size(), kMinPlaybookActions);
      EXPECT_LE(entry->actions.size(), kMaxPlaybookActions);
      ++tiers;
    }
    // Nothing else: every tier the file names for the scheme is one of its segments.
    EXPECT_EQ(playbook.entries(name).size(), scheme.segments.size()) << name;
  }
  EXPECT_EQ(tiers, 5u + 8u + 12u);
  EXPECT_EQ(playbook.schemes().size(), 3u);
}

TEST(PlaybookTest, ShippedTextsAreDistinctAndInBothLanguages) {
  const Playbook playbook = Playbook::load(default_playbook_path());
  std::set<std::string> positionings;
  for (const std::string& scheme : playbook.schemes()) {
    for (const PlaybookEntry& entry : playbook.entries(scheme)) {
      EXPECT_TRUE(positionings.insert(entry.positioning.en).second) << entry.positioning.en;
      for (const Bilingual& action : entry.actions) {
        EXPECT_FALSE(action.en.empty());
        // The Chinese text is Chinese: it holds non-ASCII bytes.
        EXPECT_TRUE(std::any_of(action.zh.begin(), action.zh.end(), [](char c) {
          return static_cast<unsigned char>(c) >= 0x80;
        })) << action.zh;
      }
    }
  }
}

TEST(PlaybookTest, ParsesTiersInFileOrder) {
  const Playbook playbook =
      Playbook::parse(tier("mine.B", 2) + tier("mine.\"A a\"", 4) + tier("other.X", 3), "pb.toml");
  EXPECT_EQ(playbook.schemes(), (std::vector<std::string>{"mine", "other"}));
  ASSERT_EQ(playbook.entries("mine").size(), 2u);
  EXPECT_EQ(playbook.entries("mine")[0].segment, "B");
  EXPECT_EQ(playbook.entries("mine")[1].segment, "A a");
  EXPECT_EQ(playbook.entries("mine")[1].actions.size(), 4u);
  EXPECT_EQ(playbook.entries("mine")[1].actions[3].zh, "做 3");
  EXPECT_EQ(playbook.entries("mine")[0].positioning.in(Lang::kZh), "最好");
  EXPECT_EQ(playbook.find("other", "X")->actions[0].en, "Do 0");
  EXPECT_EQ(playbook.find("other", "Y"), nullptr);
  EXPECT_TRUE(playbook.entries("none").empty());
}

TEST(PlaybookTest, BadFilesGiveOneLineErrorsWithFileAndTier) {
  expect_error(tier("five.Champions", 1), "tier 'Champions' of scheme 'five'",
               "has 1 action; give 2 to 4");
  expect_error(tier("five.Champions", 5), "tier 'Champions' of scheme 'five'",
               "has 5 actions; give 2 to 4");
  expect_error("[five.Lost]\npositioning = { en = \"x\", zh = \"y\" }\n",
               "tier 'Lost' of scheme 'five'", "has no actions");
  expect_error(tier("five.Lost", 2) + "bonus = 1\n", "tier 'Lost'", "unknown key 'bonus'");
  expect_error("[five.Lost]\npositioning = { en = \"x\" }\n", "tier 'Lost'",
               "positioning lacks its zh text");
  expect_error("[five.Lost]\npositioning = { en = \"x\", zh = \"y\", fr = \"z\" }\n", "tier 'Lost'",
               "unknown key 'fr'");
  expect_error("[five.Lost]\npositioning = { en = \"x\", zh = \"\" }\n", "tier 'Lost'",
               "positioning.zh must be a non-empty string");
  expect_error(
      "[five.Lost]\npositioning = { en = \"x\", zh = \"y\" }\n"
      "[[five.Lost.actions]]\nen = \"a\"\n[[five.Lost.actions]]\nen = \"b\"\nzh = \"c\"\n",
      "tier 'Lost'", "an action lacks its zh text");
  expect_error("[five.Lost]\nactions = \"call them\"\n", "tier 'Lost'",
               "actions must be an array of tables");
  expect_error("[five]\nLost = \"call them\"\n", "tier 'Lost'", "must be a table");
  expect_error("version = 2\n", "scheme 'version'", "must be a table of tiers");
  expect_error("[five]\n", "scheme 'five'", "names no tier");
  expect_error("", "pb.toml", "names no scheme");
  expect_error("[five.Lost\n", "pb.toml:1", "invalid TOML");
}

TEST(PlaybookTest, LoadNamesAMissingFile) {
  try {
    Playbook::load("/nonexistent/playbook.toml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/playbook.toml"), std::string::npos);
  }
}

RfmResult result_with(std::string scheme, std::vector<std::string> segments) {
  RfmResult rfm;
  rfm.scheme = std::move(scheme);
  for (std::string& name : segments) {
    SegmentSummary segment;
    segment.name = std::move(name);
    segment.name_zh = "中文" + segment.name;
    rfm.segments.push_back(std::move(segment));
  }
  return rfm;
}

TEST(PlaybookTest, EntriesFollowSegmentOrderAndSkipUnnamedTiers) {
  const Playbook playbook =
      Playbook::parse(tier("mine.C", 2) + tier("mine.A", 3) + tier("other.B", 2), "pb.toml");
  const RfmResult rfm = result_with("mine", {"A", "B", "C"});
  const std::vector<PlaybookEntry> entries = playbook.for_result(rfm, true);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].segment, "A");
  EXPECT_EQ(entries[1].segment, "C");
  EXPECT_TRUE(playbook.for_result(result_with("unnamed", {"A"}), true).empty());
}

TEST(PlaybookTest, StrictLookupRejectsATierTheSchemeLacks) {
  const Playbook playbook = Playbook::parse(tier("mine.A", 2) + tier("mine.Typo", 2), "pb.toml");
  const RfmResult rfm = result_with("mine", {"A", "B"});
  EXPECT_EQ(playbook.for_result(rfm, false).size(), 1u);
  try {
    playbook.for_result(rfm, true);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "pb.toml: tier 'Typo' of scheme 'mine' is not a tier of the scheme (A, B)");
  }
}

TEST(PlaybookTest, JsonHasTheShapeTheReportReads) {
  const Playbook playbook = Playbook::parse(tier("mine.A", 2), "pb.toml");
  const nlohmann::json json = playbook_to_json(playbook.entries("mine"));
  const nlohmann::json expected = nlohmann::json::parse(R"([
    {"segment": "A",
     "positioning": {"en": "Best", "zh": "最好"},
     "actions": [{"en": "Do 0", "zh": "做 0"}, {"en": "Do 1", "zh": "做 1"}]}
  ])");
  EXPECT_EQ(json, expected);
  EXPECT_EQ(playbook_to_json({}), nlohmann::json::array());
}

TEST(PlaybookTest, JsonReadsBackToTheSameEntries) {
  // The shipped file: every scheme's entries survive a summary.json round trip (serve DIR).
  const Playbook shipped = Playbook::load(default_playbook_path());
  for (const std::string& scheme : shipped.schemes()) {
    const std::span<const PlaybookEntry> entries = shipped.entries(scheme);
    ASSERT_FALSE(entries.empty()) << scheme;
    EXPECT_EQ(playbook_from_json(playbook_to_json(entries)),
              std::vector<PlaybookEntry>(entries.begin(), entries.end()))
        << scheme;
  }
  EXPECT_TRUE(playbook_from_json(nlohmann::json::array()).empty());
}

TEST(PlaybookTest, JsonOfAnotherShapeIsAnError) {
  const nlohmann::json good = nlohmann::json::parse(R"([
    {"segment": "A", "positioning": {"en": "Best", "zh": "最好"}, "actions": [{"en": "x", "zh": "y"}]}
  ])");
  ASSERT_EQ(playbook_from_json(good).size(), 1u);
  for (const char* pointer : {"/0/segment", "/0/positioning/zh", "/0/actions/0/en"}) {
    nlohmann::json bad = good;
    bad[nlohmann::json::json_pointer(pointer)] = 3;
    EXPECT_THROW(playbook_from_json(bad), Error) << pointer;
  }
  nlohmann::json extra = good;
  extra[0]["note"] = "?";
  EXPECT_THROW(playbook_from_json(extra), Error);
  EXPECT_THROW(playbook_from_json(nlohmann::json::object()), Error);
  try {
    nlohmann::json second = good;
    second.push_back(nlohmann::json::object());
    playbook_from_json(second);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "summary.json: playbook entry 2 is not {segment, positioning, actions}");
  }
}

TEST(PlaybookTest, TextIsInTheChosenLanguage) {
  const Playbook playbook = Playbook::parse(tier("mine.A", 2), "pb.toml");
  const RfmResult rfm = result_with("mine", {"A"});
  const auto entries = playbook.for_result(rfm, true);
  EXPECT_EQ(playbook_text(entries, rfm.segments, Lang::kEn),
            "Playbook\n  A: Best\n    - Do 0\n    - Do 1\n");
  EXPECT_EQ(playbook_text(entries, rfm.segments, Lang::kZh),
            "策略建议\n  中文A: 最好\n    - 做 0\n    - 做 1\n");
  EXPECT_EQ(playbook_text({}, rfm.segments, Lang::kEn), "");
}

// ---- the profile playbook ----

std::string play(std::string_view header, std::string_view skip = "") {
  std::string text = fmt::format("[{}]\n", header);
  for (std::string_view field : kProfilePlayFields) {
    if (field != skip)
      text += fmt::format("{} = {{ en = \"{} en\", zh = \"{} 中\" }}\n", field, field, field);
  }
  return text;
}

std::string profile_error_of(std::string_view toml_text) {
  try {
    ProfilePlaybook::parse(toml_text, "pp.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ProfilePlaybookTest, ShippedFileCoversEveryTierAndHasADefaultRegion) {
  const ProfilePlaybook playbook = ProfilePlaybook::load(default_profile_playbook_path());
  std::set<std::string> texts;
  for (std::string_view id : kProfileTierIds) {
    const ProfilePlay* entry = playbook.tier(id);
    ASSERT_NE(entry, nullptr) << id;
    for (const Bilingual& text : entry->fields) {
      EXPECT_FALSE(text.en.empty()) << id;
      EXPECT_FALSE(text.zh.empty()) << id;
      EXPECT_TRUE(texts.insert(text.en).second) << "repeated: " << text.en;
    }
  }
  for (std::string_view region : {"Urban", "Suburban", "Rural"}) {
    ASSERT_NE(playbook.region(region), nullptr) << region;
    EXPECT_EQ(playbook.region(region)->key, region);
  }
  ASSERT_NE(playbook.region("Mars"), nullptr);
  EXPECT_EQ(playbook.region("Mars")->key, "default");
}

TEST(ProfilePlaybookTest, BadFilesGiveOneLineErrorsWithFileAndEntry) {
  auto expect = [](std::string_view text, std::string_view where, std::string_view fault) {
    const std::string message = profile_error_of(text);
    EXPECT_EQ(message.rfind("pp.toml:", 0), 0u) << message;
    EXPECT_NE(message.find(where), std::string::npos) << message;
    EXPECT_NE(message.find(fault), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  };
  expect(play("tiers.vip"), "tier 'vip'", "is not a profile tier (important, core, lost");
  expect(play("tiers.lost", "channel"), "tier 'lost'", "has no channel");
  expect(play("regions.Urban") + "price = { en = \"x\", zh = \"y\" }\n", "region 'Urban'",
         "unknown key 'price'");
  expect("[segments.lost]\nproduct = 1\n", "pp.toml:1", "unknown table 'segments'");
  expect("[tiers.core]\nproduct = { en = \"x\" }\n", "tier 'core'", "lacks its zh text");
  EXPECT_NE(profile_error_of("[tiers\n").find("invalid TOML"), std::string::npos);
}

TEST(ProfilePlaybookTest, JsonListsTheGivenTiersAndRegionsWithTheirSource) {
  const ProfilePlaybook playbook = ProfilePlaybook::parse(
      play("tiers.lost") + play("regions.Rural") + play("regions.default"), "pp.toml");
  const std::vector<std::string> tiers = {"important", "lost"};
  const std::vector<std::string> regions = {"Urban", "Rural"};
  const nlohmann::json json = profile_playbook_to_json(playbook, tiers, regions);
  ASSERT_EQ(json.at("tiers").size(), 1u);  // important has no play
  EXPECT_EQ(json.at("tiers")[0].at("id"), "lost");
  EXPECT_EQ(json.at("tiers")[0].at("promotion").at("zh"), "promotion 中");
  ASSERT_EQ(json.at("regions").size(), 2u);
  EXPECT_EQ(json.at("regions")[0].at("region"), "Urban");
  EXPECT_EQ(json.at("regions")[0].at("from"), "default");
  EXPECT_EQ(json.at("regions")[1].at("from"), "Rural");
  EXPECT_EQ(json.at("regions")[1].at("channel").at("en"), "channel en");
}

}  // namespace
}  // namespace custlens::report

#include "analysis/categories.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "custlens/error.h"

namespace custlens::analysis {
namespace {

std::string name_of(const CategoryMap& map, std::string_view description) {
  const std::uint32_t category = map.classify(description);
  return category == CategoryMap::kOther ? "Other" : map.categories()[category];
}

const CategoryMap& shipped() {
  static const CategoryMap map = CategoryMap::load(default_category_map_path());
  return map;
}

TEST(CategoryMapTest, ShippedMapHasTheRequiredKeywords) {
  const CategoryMap& map = shipped();
  EXPECT_GE(map.categories().size(), 16u);
  EXPECT_EQ(name_of(map, "BAG"), "Bags");
  for (const char* word : {"LIGHT", "LANTERN", "LAMP"}) EXPECT_EQ(name_of(map, word), "Lighting");
  for (const char* word : {"MUG", "CUP", "PLATE", "KITCHEN"}) {
    EXPECT_EQ(name_of(map, word), "Kitchen") << word;
  }
  for (const char* word : {"NECKLACE", "EARRINGS", "BRACELET"}) {
    EXPECT_EQ(name_of(map, word), "Jewellery") << word;
  }
  for (const char* name : {"Candles", "Cards & Wrap", "Christmas", "Decor", "Stationery", "Toys",
                           "Garden", "Storage"}) {
    EXPECT_NE(std::find(map.categories().begin(), map.categories().end(), name),
              map.categories().end())
        << name;
  }
}

TEST(CategoryMapTest, ShippedMapOnTypicalGiftWare) {
  const CategoryMap& map = shipped();
  EXPECT_EQ(name_of(map, "JUMBO BAG RED RETROSPOT"), "Bags");
  EXPECT_EQ(name_of(map, "WHITE HANGING HEART T-LIGHT HOLDER"), "Candles");
  EXPECT_EQ(name_of(map, "CHRISTMAS LIGHTS"), "Christmas");  // the theme comes first in the file
  EXPECT_EQ(name_of(map, "PACK OF 72 RETROSPOT CAKE CASES"), "Party");
  EXPECT_EQ(name_of(map, "REGENCY CAKE STAND 3 TIER"), "Kitchen");
  EXPECT_EQ(name_of(map, "CREAM CUPID HEARTS COAT HANGER"), "Decor");
  EXPECT_EQ(name_of(map, "POSTAGE"), "Postage");
  EXPECT_EQ(name_of(map, "DOOR STOP"), "Other");
  EXPECT_EQ(name_of(map, ""), "Other");
}

TEST(CategoryMapTest, MatchesWholeWordsIgnoringCase) {
  const CategoryMap map = CategoryMap::parse(R"(
[[category]]
name = "Bags"
keywords = ["bag"]
[[category]]
name = "Candles"
keywords = ["T-LIGHT", "cake cases"]
)",
                                             "test");
  EXPECT_EQ(name_of(map, "lunch bag"), "Bags");
  EXPECT_EQ(name_of(map, "BAG,RED"), "Bags");
  EXPECT_EQ(name_of(map, "(BAG)"), "Bags");
  EXPECT_EQ(name_of(map, "SAC \xC3\x80 MAIN BAG"), "Bags");  // UTF-8 is not a word character
  EXPECT_EQ(name_of(map, "WASHBAG"), "Other");
  EXPECT_EQ(name_of(map, "BAGS"), "Other");
  EXPECT_EQ(name_of(map, "BAG_RED"), "Other");  // '_' is a word character, as in regex \w
  EXPECT_EQ(name_of(map, "BAG2"), "Other");
  EXPECT_EQ(name_of(map, "heart t-light holder"), "Candles");
  EXPECT_EQ(name_of(map, "T-LIGHTS"), "Other");
  EXPECT_EQ(name_of(map, "PINK CAKE CASES"), "Candles");
  EXPECT_EQ(name_of(map, "CAKE  CASES"), "Other");
  EXPECT_EQ(name_of(map, "CAKE CASESX"), "Other");
}

TEST(CategoryMapTest, FirstKeywordInFileOrderWins) {
  const CategoryMap map = CategoryMap::parse(R"(
[[category]]
name = "A"
keywords = ["ZEBRA", "RED SPOT"]
[[category]]
name = "B"
keywords = ["APPLE", "ZEBRA"]
[[category]]
name = "C"
keywords = ["RED"]
)",
                                             "test");
  ASSERT_EQ(map.categories().size(), 3u);
  EXPECT_EQ(map.keyword_count(), 5u);
  EXPECT_EQ(name_of(map, "APPLE ZEBRA"), "A");     // ZEBRA is listed before APPLE
  EXPECT_EQ(name_of(map, "APPLE RED SPOT"), "A");  // a phrase before a single word
  EXPECT_EQ(name_of(map, "APPLE RED"), "B");
  EXPECT_EQ(name_of(map, "RED"), "C");
}

TEST(CategoryMapTest, MalformedMapsAreErrors) {
  EXPECT_THROW(CategoryMap::parse("[[category]\nname=", "bad"), Error);
  EXPECT_THROW(CategoryMap::parse("title = \"x\"\n", "empty"), Error);
  EXPECT_THROW(CategoryMap::parse("[[category]]\nkeywords = [\"A\"]\n", "no name"), Error);
  EXPECT_THROW(CategoryMap::parse("[[category]]\nname = \"A\"\n", "no keywords"), Error);
  EXPECT_THROW(CategoryMap::parse("[[category]]\nname = \"A\"\nkeywords = [1]\n", "int"), Error);
  EXPECT_THROW(CategoryMap::parse("[[category]]\nname = \"A\"\nkeywords = [\" \"]\n", "blank"),
               Error);
  EXPECT_THROW(CategoryMap::load("/no/such/file.toml"), Error);
  try {
    CategoryMap::parse("[[category]]\nname = \"A\"\nkeywords = [\"X\"\n", "map.toml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("map.toml:"), std::string::npos) << e.what();
  }
}

TEST(CategoryMapTest, DefaultPathIsInTheShareDir) {
  EXPECT_TRUE(default_category_map_path().ends_with("/categories.toml"));
  EXPECT_TRUE(std::filesystem::exists(default_category_map_path()));
}

}  // namespace
}  // namespace custlens::analysis

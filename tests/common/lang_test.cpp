// Tests of src/common/lang.cpp: the one language setting of reports and readings.
#include "custlens/lang.h"

#include <gtest/gtest.h>

#include <string>

#include "custlens/error.h"

namespace custlens {
namespace {

TEST(LangTest, CodesRoundTrip) {
  for (Lang lang : {Lang::kEn, Lang::kZh}) EXPECT_EQ(parse_lang(lang_code(lang)), lang);
  EXPECT_EQ(lang_code(Lang::kEn), "en");
  EXPECT_EQ(lang_code(Lang::kZh), "zh");
}

TEST(LangTest, OtherCodesAreErrorsNamingTheChoices) {
  for (const char* text : {"", "EN", "zh-CN", "fr"}) {
    try {
      parse_lang(text);
      ADD_FAILURE() << "no error for '" << text << "'";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("unknown language '") + text + "'; use --lang en or --lang zh");
    }
  }
}

}  // namespace
}  // namespace custlens

// Tests of src/io/encoding.cpp: UTF-8 checks and excerpts, detection and conversion.
#include "io/encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "custlens/error.h"

namespace custlens::io {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(CUSTLENS_TEST_DATA) + "/csv/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Utf8Test, ValidatesSequences) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii, long enough for the 16-byte fast path"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBD\xF4\x8F\xBF\xBF"));  // U+FFFD, U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));                     // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));                 // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                 // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));             // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("ab\xE4\xB8"));  // truncated at the end
  EXPECT_FALSE(is_valid_utf8("\x80"));        // lone continuation
  EXPECT_FALSE(is_valid_utf8("0123456789abcdef0123456789abcdef\xFF"));
}

TEST(Utf8Test, StatsCountInvalidBytesAndMultibyteSequences) {
  const Utf8Stats stats = utf8_stats("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\xFF\x80z\xE4\xB8");
  EXPECT_EQ(stats.multibyte, 3u);
  EXPECT_EQ(stats.invalid, 4u);  // FF, 80, and the two bytes of the cut sequence
}

TEST(Utf8Test, StatsAreExactAcrossParallelPieces) {
  // 3-byte characters put the 1 MiB piece boundaries inside sequences.
  std::string text;
  for (int i = 0; i < 800'000; ++i) text += "\xE4\xB8\xAD";
  text += "\xFF";
  const Utf8Stats stats = utf8_stats(text);
  EXPECT_EQ(stats.multibyte, 800'000u);
  EXPECT_EQ(stats.invalid, 1u);
}

TEST(Utf8Test, ExcerptCutsAtCharacterBoundaryAndReplacesInvalidBytes) {
  EXPECT_EQ(utf8_excerpt("ab\xE4\xB8\xAD", 4), "ab");
  EXPECT_EQ(utf8_excerpt("ab\xE4\xB8\xAD", 5), "ab\xE4\xB8\xAD");
  EXPECT_EQ(utf8_excerpt("a\xFF"
                         "b",
                         100),
            "a\xEF\xBF\xBD"
            "b");
  const std::string cut = utf8_excerpt(std::string(299, 'x') + "\xC3\xA9", 300);
  EXPECT_EQ(cut.size(), 299u);
  EXPECT_TRUE(is_valid_utf8(utf8_excerpt("\x80\x81\xE4\xB8 tail", 300)));
}

TEST(EncodingNameTest, CanonicalizesAliases) {
  EXPECT_EQ(canonical_encoding("UTF8"), "utf-8");
  EXPECT_EQ(canonical_encoding("utf-8-sig"), "utf-8");
  EXPECT_EQ(canonical_encoding("Latin-1"), "iso-8859-1");
  EXPECT_EQ(canonical_encoding(" latin1 "), "iso-8859-1");
  EXPECT_EQ(canonical_encoding("cp1252"), "windows-1252");
  EXPECT_EQ(canonical_encoding("GBK"), "gbk");
  EXPECT_EQ(canonical_encoding("cp936"), "gbk");
  EXPECT_EQ(canonical_encoding("gb18030"), "gb18030");
  EXPECT_EQ(canonical_encoding("big5"), "big5");
  EXPECT_THROW(canonical_encoding("klingon-8"), Error);
  EXPECT_THROW(canonical_encoding(""), Error);
}

TEST(DetectEncodingTest, RecognizesBomsUtf8AndLegacyEncodings) {
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBF"
                            "a,b\n"),
            "utf-8");
  EXPECT_EQ(detect_encoding("\xFF\xFE"
                            "a\0"),
            "utf-16le");
  EXPECT_EQ(detect_encoding("only,ascii\n1,2\n"), "utf-8");
  EXPECT_EQ(detect_encoding(read_fixture("gbk_products.utf8.csv")), "utf-8");
  const std::string latin1 = detect_encoding(read_fixture("latin1_orders.csv"));
  EXPECT_TRUE(latin1 == "iso-8859-1" || latin1 == "windows-1252") << latin1;
  const std::string gbk = detect_encoding(read_fixture("gbk_products.csv"));
  EXPECT_TRUE(gbk == "gb18030" || gbk == "gbk") << gbk;
}

TEST(DetectEncodingTest, Utf8WithAFewInvalidBytesStaysUtf8) {
  std::string text = read_fixture("gbk_products.utf8.csv");
  text += "100217,broken \xFF row,x,y,1\r\n";
  EXPECT_EQ(detect_encoding(text), "utf-8");
}

TEST(DecodeTest, Utf8IsBorrowedWithBomStripped) {
  const std::string raw = "\xEF\xBB\xBFid,name\n1,caf\xC3\xA9\n";
  const Utf8Text text = decode_to_utf8(raw, "");
  EXPECT_EQ(text.view(), "id,name\n1,caf\xC3\xA9\n");
  EXPECT_EQ(text.view().data(), raw.data() + 3);  // no copy
  EXPECT_EQ(text.encoding(), "utf-8");
  EXPECT_TRUE(text.known_valid());
  EXPECT_FALSE(decode_to_utf8("a\n\xFF\n", "utf-8").known_valid());
}

TEST(DecodeTest, ConvertsLatin1AndGbkFixturesToTheirUtf8Twins) {
  const Utf8Text latin1 = decode_to_utf8(read_fixture("latin1_orders.csv"), "");
  EXPECT_EQ(latin1.view(), read_fixture("latin1_orders.utf8.csv"));
  EXPECT_TRUE(latin1.known_valid());
  const Utf8Text gbk = decode_to_utf8(read_fixture("gbk_products.csv"), "");
  EXPECT_EQ(gbk.view(), read_fixture("gbk_products.utf8.csv"));
  EXPECT_TRUE(gbk.known_valid());
}

TEST(DecodeTest, SmallPiecesGiveTheSameText) {
  const std::string raw = read_fixture("gbk_products.csv");
  const std::string expected = read_fixture("gbk_products.utf8.csv");
  for (std::size_t piece : {1u, 7u, 40u, 100u}) {
    EXPECT_EQ(decode_to_utf8(raw, "gbk", piece).view(), expected) << piece;
  }
}

TEST(DecodeTest, SingleBytePagesConvertByTableAtAnyPieceSize) {
  const std::string raw = read_fixture("latin1_orders.csv");
  const std::string expected = read_fixture("latin1_orders.utf8.csv");
  for (std::size_t piece : {1u, 3u, 64u, 1u << 20}) {
    const Utf8Text text = decode_to_utf8(raw, "windows-1252", piece);
    EXPECT_EQ(text.view(), expected) << piece;
    EXPECT_TRUE(text.known_valid());
  }
  // 0x80 is the euro sign in Windows-1252 only; 0x81 is undefined there.
  EXPECT_EQ(decode_to_utf8("\x80\n", "cp1252").view(), "\xE2\x82\xAC\n");
  EXPECT_EQ(decode_to_utf8("\x80\n", "latin-1").view(), "\xC2\x80\n");
  const Utf8Text marked = decode_to_utf8(
      "a\x81"
      "b\n\x80",
      "windows-1252", 2);
  EXPECT_EQ(marked.view(),
            "a\xFF"
            "b\n\xE2\x82\xAC");
  EXPECT_FALSE(marked.known_valid());
}

TEST(DecodeTest, LatinGuessesBecomeWindows1252OrLatin1) {
  // uchardet calls a short upper-case French list MAC-CENTRALEUROPE; Western tools write 1252.
  EXPECT_EQ(decode_to_utf8("a,b\n1,CAF\xC9 MUG\n", "").encoding(), "windows-1252");
  EXPECT_EQ(decode_to_utf8("a,b\n1,CAF\xC9 \x81MUG\n", "").encoding(), "iso-8859-1");
}

TEST(DecodeTest, GivenEncodingOverridesDetection) {
  const Utf8Text text = decode_to_utf8(read_fixture("gbk_products.csv"), "latin-1");
  EXPECT_EQ(text.encoding(), "iso-8859-1");
  EXPECT_NE(text.view(), read_fixture("gbk_products.utf8.csv"));
  EXPECT_TRUE(is_valid_utf8(text.view()));
  // UTF-8 bytes read as Latin-1 give the classic mojibake.
  EXPECT_EQ(decode_to_utf8("caf\xC3\xA9", "latin-1").view(), "caf\xC3\x83\xC2\xA9");
}

TEST(DecodeTest, BytesInvalidInTheSourceEncodingBecomeInvalidUtf8) {
  // 0x81 0x20 is no GBK character; the rest converts.
  const Utf8Text text = decode_to_utf8("ok\n\x81 bad\n\xD6\xD0\n", "gbk");
  EXPECT_FALSE(text.known_valid());
  EXPECT_EQ(text.view(), "ok\n\xFF bad\n\xE4\xB8\xAD\n");
}

TEST(DecodeTest, Utf16WithBomConverts) {
  const std::string raw(
      "\xFF\xFE"
      "a\0,\0\x2D\x4E\n\0",
      10);  // "a,中\n" in UTF-16LE
  const Utf8Text text = decode_to_utf8(raw, "");
  EXPECT_EQ(text.encoding(), "utf-16le");
  EXPECT_EQ(text.view(), "a,\xE4\xB8\xAD\n");
}

TEST(DecodeTest, UnknownEncodingThrows) {
  EXPECT_THROW(decode_to_utf8("a,b\n", "no-such-encoding"), Error);
}

}  // namespace
}  // namespace custlens::io

namespace custlens::io {
namespace {

// The bytes that cut chunks and decide quote parity (LF, CR, '"') stand only for themselves in
// every encoding called chunk-safe: after any lead byte they survive decoding, so no multi-byte
// character can hide one. Others (UTF-16, stateful encodings) are not chunk-safe.
TEST(ChunkDecoderTest, ChunkSafeEncodingsKeepLineBreaksAndQuotes) {
  for (const std::string name : {"gbk", "gb18030", "big5", "shift-jis", "cp932", "euc-jp", "euc-kr",
                                 "cp949", "windows-1252", "iso-8859-1", "windows-1250", "koi8-r"}) {
    ASSERT_TRUE(is_chunk_safe(name)) << name;
    const ChunkDecoder decoder(name);
    for (int lead = 0x80; lead <= 0xFF; ++lead) {
      for (const char special : {'\n', '\r', '"'}) {
        for (const std::string middle : {"", "0", "\x81"}) {
          const std::string raw =
              "a" + std::string(1, static_cast<char>(lead)) + middle + special + "b" + special;
          std::string out;
          decoder.decode(raw, out);
          EXPECT_EQ(std::count(out.begin(), out.end(), special), 2)
              << name << " lead " << lead << " middle '" << middle << "'";
        }
      }
    }
  }
  EXPECT_TRUE(is_chunk_safe("utf-8"));
  for (const std::string name : {"utf-16le", "utf-16", "utf-32be", "iso-2022-jp", "utf-7"}) {
    EXPECT_FALSE(is_chunk_safe(name)) << name;
  }
}

// Pieces cut after line breaks decode to the whole-file text, invalid bytes included.
TEST(ChunkDecoderTest, PiecesCutAtLineBreaksDecodeLikeTheWhole) {
  std::string raw = read_fixture("gbk_products.csv");
  raw += "1,\x81\r\n2,\xD6\xD0\n";
  for (const std::string name : {"gbk", "gb18030"}) {
    const std::string whole(decode_to_utf8(raw, name).view());
    const ChunkDecoder decoder(name);
    for (std::size_t step : {1u, 5u, 50u}) {
      std::string joined;
      std::size_t begin = 0;
      std::size_t invalid = 0;
      while (begin < raw.size()) {
        std::size_t end = raw.find_first_of("\r\n", std::min(raw.size(), begin + step));
        end = end == std::string::npos ? raw.size() : end + 1;
        std::string out;
        invalid += decoder.decode(std::string_view(raw).substr(begin, end - begin), out);
        joined += out;
        begin = end;
      }
      EXPECT_EQ(joined, whole) << name << " step " << step;
      EXPECT_EQ(invalid, 1u) << name;
    }
  }
  const ChunkDecoder latin1("iso-8859-1");
  std::string out;
  EXPECT_EQ(latin1.decode(read_fixture("latin1_orders.csv"), out), 0u);
  EXPECT_EQ(out, read_fixture("latin1_orders.utf8.csv"));
  EXPECT_THROW(ChunkDecoder("no-such-encoding"), Error);
}

}  // namespace
}  // namespace custlens::io

#include "codec/json_lines.h"

#include <gtest/gtest.h>

#include <sstream>

namespace market::codec {
namespace {

std::string Simulate(const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  SimulateJsonLines(in, out);
  return out.str();
}

TEST(JsonLines, BlankLinesTakeNoSequence) {
  const std::string out = Simulate("\n   \t\n{\"principal\":\"admin\"}\n\n");
  EXPECT_NE(out.find("\"sequence\":\"1\""), std::string::npos) << out;
  EXPECT_EQ(out.find("\"sequence\":\"2\""), std::string::npos) << out;
}

TEST(JsonLines, MalformedLineTakesASequenceAndIsRejected) {
  const std::string out = Simulate("{not json\n{\"principal\":\"admin\"}\n");
  EXPECT_NE(out.find("{\"sequence\":\"1\",\"commandRejected\":{\"code\":\"INVALID_ARGUMENT\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"sequence\":\"2\""), std::string::npos) << out;
}

TEST(JsonLines, UnknownFieldIsNotACommand) {
  EXPECT_FALSE(ParseCommandJson(R"({"principal":"admin","bogus":1})").ok());
}

TEST(JsonLines, EnumsTravelByName) {
  auto c = ParseCommandJson(R"({"defineLocation":{"kind":"REGION","code":"EU"}})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->define_location().kind(), marketplace::v1::REGION);
}

TEST(JsonLines, ParseErrorNamesTheBadValuesField) {
  EXPECT_EQ(
      FieldOfParseError("(submit_request.fte_milli): invalid value \"abc\" for type TYPE_INT64"),
      "fte_milli");
  EXPECT_EQ(FieldOfParseError("(submit_request) fteMili: Cannot find field."), "fteMili");
  EXPECT_EQ(FieldOfParseError("Unexpected token.\nnot json\n^"), "");
}

TEST(JsonLines, HugeAndHostileInputNeverCrashes) {
  std::string huge(1 << 20, 'x');
  const std::string out = Simulate(huge + "\n\"\\u0000\"\n[]\n{}\n{\"submitRequest\":null}\n");
  EXPECT_NE(out.find("\"sequence\":\"5\""), std::string::npos) << out;
}

}  // namespace
}  // namespace market::codec

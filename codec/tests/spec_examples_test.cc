// The worked examples of shared/spec/examples: each NAME.commands.jsonl run
// through `marketctl simulate`'s code must give the events of
// NAME.events.jsonl, compared on the fields the example lists.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "codec/json_lines.h"

namespace market::codec {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!IsBlankLine(line)) lines.push_back(line);
  }
  return lines;
}

void ExpectExampleHolds(const std::string& name) {
  const std::string dir = MARKET_SPEC_EXAMPLES_DIR;
  std::ifstream commands(dir + "/" + name + ".commands.jsonl");
  ASSERT_TRUE(commands) << "missing example " << name;
  std::stringstream out;
  SimulateJsonLines(commands, out);
  std::vector<std::string> actual;
  for (std::string line; std::getline(out, line);) actual.push_back(line);
  const std::vector<std::string> expected = ReadLines(dir + "/" + name + ".events.jsonl");
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    marketplace::v1::Event want;
    marketplace::v1::Event got;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(expected[i], &want).ok());
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(actual[i], &got).ok());
    google::protobuf::util::MessageDifferencer partial;
    partial.set_scope(google::protobuf::util::MessageDifferencer::PARTIAL);
    std::string diff;
    partial.ReportDifferencesToString(&diff);
    EXPECT_TRUE(partial.Compare(want, got))
        << "line " << i + 1 << "\nexpected " << expected[i] << "\nactual   " << actual[i] << "\n"
        << diff;
    EXPECT_EQ(want.body_case(), got.body_case()) << "line " << i + 1;
  }
}

TEST(SpecExamples, PriceThenTime) { ExpectExampleHolds("price_then_time"); }
TEST(SpecExamples, MinSlice) { ExpectExampleHolds("min_slice"); }
TEST(SpecExamples, AonAndCeiling) { ExpectExampleHolds("aon_and_ceiling"); }
TEST(SpecExamples, AmendAndRejections) { ExpectExampleHolds("amend_and_rejections"); }

}  // namespace
}  // namespace market::codec

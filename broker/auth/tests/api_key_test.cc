// Hashing (SHA-256 known answers), hex digests, constant-time comparison and
// key generation.
#include "broker/auth/api_key.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace market::auth {
namespace {

TEST(Sha256Hex, MatchesTheFips180KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(DigestFromHex, InvertsDigestToHexInEitherCase) {
  const KeyDigest digest = Sha256("abc");
  EXPECT_EQ(DigestFromHex(DigestToHex(digest)), digest);
  EXPECT_EQ(DigestFromHex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
            digest);
}

TEST(DigestFromHex, RejectsWrongLengthAndNonHex) {
  const std::string good = Sha256Hex("abc");
  EXPECT_FALSE(DigestFromHex(good.substr(1)).has_value());
  EXPECT_FALSE(DigestFromHex(good + "0").has_value());
  EXPECT_FALSE(DigestFromHex("").has_value());
  EXPECT_FALSE(DigestFromHex("g" + good.substr(1)).has_value());
}

TEST(DigestsEqual, ComparesEveryByte) {
  const KeyDigest a = Sha256("a");
  KeyDigest last_differs = a;
  last_differs.back() ^= 1;
  EXPECT_TRUE(DigestsEqual(a, Sha256("a")));
  EXPECT_FALSE(DigestsEqual(a, last_differs));
  EXPECT_FALSE(DigestsEqual(a, Sha256("b")));
}

TEST(GenerateKey, IsThePrefixAnd64LowercaseHexDigits) {
  const std::string key = GenerateKey();
  ASSERT_EQ(key.size(), kKeyPrefix.size() + 2 * kKeyRandomBytes);
  EXPECT_EQ(key.substr(0, kKeyPrefix.size()), "mk_");
  for (char c : key.substr(kKeyPrefix.size())) {
    EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << key;
  }
}

TEST(GenerateKey, NeverRepeatsInAThousandKeys) {
  std::set<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.insert(GenerateKey());
  EXPECT_EQ(keys.size(), 1000u);
}

}  // namespace
}  // namespace market::auth

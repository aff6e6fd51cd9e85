#include <doctest/doctest.h>

#include "data/pickle_reader.h"
#include "data/test_files.h"

using gs::data::PickleBigInt;
using gs::data::PickleDict;
using gs::data::PickleList;
using gs::data::PickleReader;
using gs::data::PickleValue;
using gs::test::unescape;

namespace {

// Value of `key` in a dict; fails the test if absent.
PickleValue item(const PickleValue& dict, const std::string& key) {
  for (const auto& [k, v] : dict.as_dict("test dict").items)
    if (k.is<std::string>() && std::get<std::string>(k.value) == key) return v;
  FAIL("no key " << key);
  return {};
}

const std::vector<PickleValue>& list_items(const PickleValue& v) {
  REQUIRE(v.is_list());
  return std::get<std::shared_ptr<PickleList>>(v.value)->items;
}

PickleValue load_one(const std::string& bytes) {
  PickleReader reader(bytes, "test.pkl");
  return reader.load();
}

void check_sample(const PickleValue& v) {
  REQUIRE(v.is_dict());
  CHECK(v.as_dict("").items.size() == 6);
  CHECK(item(v, "a").as_int("a") == 1);
  const auto& b = list_items(item(v, "b"));
  REQUIRE(b.size() == 3);
  CHECK(std::get<bool>(b[0].value));
  CHECK_FALSE(std::get<bool>(b[1].value));
  CHECK(b[2].is_none());
  const auto& c = item(v, "c").as_tuple("c");
  REQUIRE(c.size() == 7);
  CHECK(std::get<double>(c[0].value) == 1.5);
  CHECK(c[1].as_int("") == -2);
  CHECK(c[2].as_int("") == 300);
  CHECK(c[3].as_int("") == 70000);
  CHECK(c[4].as_int("") == (int64_t{1} << 40));
  CHECK(c[5].as_int("") == -1);
  CHECK(c[6].as_int("") == -129);
  // 'd' and 'e' are the same list object (BINGET of the memo), as in Python.
  CHECK(std::get<std::shared_ptr<PickleList>>(item(v, "d").value) ==
        std::get<std::shared_ptr<PickleList>>(item(v, "e").value));
  CHECK(list_items(item(v, "d"))[1].as_int("") == 8);
  // 2**70 does not fit an int64 and keeps its bytes.
  REQUIRE(item(v, "big").is<PickleBigInt>());
  CHECK(std::get<PickleBigInt>(item(v, "big").value).little_endian == unescape(R"(\x00\x00\x00\x00\x00\x00\x00\x00@)"));
}

}  // namespace

// pickle.dumps({'a': 1, 'b': [True, False, None], 'c': (1.5, -2, 300, 70000, 2**40, -1, -129),
//               'd': shared, 'e': shared, 'big': 2**70}, protocol=p) with shared = [7, 8].
TEST_CASE("pth pickle: protocol 2 values, memo and containers") {
  check_sample(load_one(unescape(
      R"(\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01K\x01X\x01\x00\x00\x00bq\x02]q\x03(\x88\x89NeX\x01\x00\x00\x00cq\x04()"
      R"(G\x3f\xf8\x00\x00\x00\x00\x00\x00J\xfe\xff\xff\xffM,\x01Jp\x11\x01\x00\x8a\x06\x00\x00\x00\x00\x00\x01J\xff)"
      R"(\xff\xff\xffJ\x7f\xff\xff\xfftq\x05X\x01\x00\x00\x00dq\x06]q\x07(K\x07K\x08eX\x01\x00\x00\x00eq\x08h\x07X)"
      R"(\x03\x00\x00\x00bigq\x09\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00@u.)")));
}

TEST_CASE("pth pickle: protocol 4 frames, short strings and MEMOIZE") {
  check_sample(load_one(unescape(
      R"(\x80\x04\x95h\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94K\x01\x8c\x01b\x94]\x94(\x88\x89Ne\x8c\x01c)"
      R"(\x94(G\x3f\xf8\x00\x00\x00\x00\x00\x00J\xfe\xff\xff\xffM,\x01Jp\x11\x01\x00\x8a\x06\x00\x00\x00\x00\x00)"
      R"(\x01J\xff\xff\xff\xffJ\x7f\xff\xff\xfft\x94\x8c\x01d\x94]\x94(K\x07K\x08e\x8c\x01e\x94h\x07\x8c\x03big)"
      R"(\x94\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00@u.)")));
}

TEST_CASE("pth pickle: small opcodes one by one") {
  CHECK(load_one(unescape(R"(\x80\x02\x8a\x02\x00\xff.)")).as_int("") == -256);  // negative LONG1
  CHECK(load_one(unescape(R"(\x80\x02\x8a\x00.)")).as_int("") == 0);
  CHECK(load_one(unescape(R"(\x80\x02U\x03abc.)")).as_str("") == "abc");  // Python 2 str
  CHECK(load_one(unescape(R"(\x80\x02T\x02\x00\x00\x00hi.)")).as_str("") == "hi");
  CHECK(load_one(unescape(R"(\x80\x02K\x01K\x02\x86.)")).as_tuple("").size() == 2);  // TUPLE2
  CHECK(load_one(unescape(R"(\x80\x02K\x01\x85.)")).as_tuple("").size() == 1);       // TUPLE1
  CHECK(load_one(unescape(R"(\x80\x02K\x01K\x02K\x03\x87.)")).as_tuple("")[2].as_int("") == 3);
  CHECK(load_one(unescape(R"(\x80\x02).)")).as_tuple("").empty());
  // LONG_BINPUT / LONG_BINGET
  CHECK(load_one(unescape(R"(\x80\x02]r\x00\x01\x00\x00K\x05aj\x00\x01\x00\x00\x86.)")).as_tuple("").size() == 2);
  // SETITEM replaces an existing key, like Python.
  PickleValue d = load_one(unescape(R"(\x80\x02}X\x01\x00\x00\x00kK\x01sX\x01\x00\x00\x00kK\x02s.)"));
  REQUIRE(d.as_dict("").items.size() == 1);
  CHECK(item(d, "k").as_int("") == 2);
  // BUILD on a dict (a state dict's _metadata) drops the attributes and keeps the items.
  PickleValue built = load_one(unescape(R"(\x80\x02}X\x01\x00\x00\x00aK\x01s}b.)"));
  CHECK(item(built, "a").as_int("") == 1);
}

TEST_CASE("pth pickle: a sequence of pickles, as torch's legacy format writes") {
  std::string bytes = unescape(R"(\x80\x02K\x07.\x80\x02X\x02\x00\x00\x00ok.tail)");
  PickleReader reader(bytes, "seq.pkl");
  CHECK(reader.load().as_int("") == 7);
  CHECK(reader.position() == 5);
  CHECK(reader.load().as_str("") == "ok");
  CHECK(bytes.substr(reader.position()) == "tail");
}

TEST_CASE("pth pickle: allowed globals are called through the caller's function") {
  std::string bytes = unescape(R"(\x80\x02cmymod\nmake\nK\x02K\x03\x86R.)");
  PickleReader reader(bytes, "call.pkl");
  reader.allow_function("mymod", "make", [](const std::vector<PickleValue>& args) {
    return PickleValue(args[0].as_int("") * args[1].as_int(""));
  });
  CHECK(reader.load().as_int("") == 6);

  // A class may be referenced, not called.
  PickleReader referenced(bytes, "class.pkl");
  referenced.allow_class("mymod", "make");
  CHECK_THROWS_WITH_AS(referenced.load(), doctest::Contains("'mymod.make' may be referenced but not called"),
                       std::runtime_error);
}

TEST_CASE("pth pickle: persistent ids go to the caller") {
  std::string bytes = unescape(R"(\x80\x02X\x03\x00\x00\x00keyQ.)");
  PickleReader reader(bytes, "pid.pkl");
  reader.set_persistent_load([](const PickleValue& pid) { return PickleValue("loaded " + pid.as_str("")); });
  CHECK(reader.load().as_str("") == "loaded key");

  PickleReader without(bytes, "pid.pkl");
  CHECK_THROWS_WITH_AS(without.load(), doctest::Contains("no persistent_load"), std::runtime_error);
}

TEST_CASE("pth pickle: refusals name the source, the byte offset and the problem") {
  // pickle.dumps(os.system) would execute a shell command on load in Python; here it is refused.
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.)")),
                       doctest::Contains("pickle test.pkl, byte 2: GLOBAL 'os.system' is not allowed"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02\x81.)")),
                       doctest::Contains("pickle test.pkl, byte 2: unsupported opcode 0x81 (NEWOBJ)"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02K\x01K\x02\x92.)")),
                       doctest::Contains("byte 6: unsupported opcode 0x92 (NEWOBJ_EX)"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02\xff.)")), doctest::Contains("byte 2: unknown opcode 0xff"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02X\x10\x00\x00\x00abc)")),
                       doctest::Contains("unexpected end of data while reading BINUNICODE text"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02K\x01)")), doctest::Contains("truncated file?"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02h\x05.)")), doctest::Contains("memo entry 5 was never stored"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02t.)")), doctest::Contains("needs a MARK"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02]s.)")), doctest::Contains("stack is empty"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02]K\x01b.)")),
                       doctest::Contains("BUILD (setting attributes) is only supported on a dict, found list of 0"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x09.)")), doctest::Contains("protocol 9 is unknown"),
                       std::runtime_error);
}

TEST_CASE("pth pickle: values describe themselves for error messages") {
  CHECK(PickleValue().describe() == "None");
  CHECK(PickleValue(3).describe() == "int 3");
  CHECK(PickleValue("0.weight").describe() == "str '0.weight'");
  CHECK(PickleValue::tuple({1, 2}).describe() == "tuple of 2");
  CHECK(PickleValue::dict().describe() == "dict of 0");
  CHECK_THROWS_WITH_AS(PickleValue("x").as_int("the offset"), "the offset: expected an int, got str 'x'",
                       std::runtime_error);
  PickleDict dict;
  dict.set("a", 1);
  dict.set("a", 2);
  dict.set(1, 3);
  CHECK(dict.items.size() == 2);
}

TEST_CASE("pickle: hostile structure is bounded (deep nesting, cycles, many keys, memo copies)") {
  // 300k nested lists: built and destroyed without recursion (a recursive destructor overflowed the stack).
  std::string deep = "\x80\x02";
  deep += std::string(300000, ']') + std::string(300000 - 1, 'a') + ".";
  CHECK(load_one(deep).is_list());
  std::string tuples = "\x80\x02" + std::string(300000, ')') + std::string(300000 - 1, '\x86') + ".";
  CHECK(load_one(tuples).is_tuple());

  // A list appended to itself (or a dict holding an older container) would be a reference cycle.
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02]q\x00h\x00a.)")), doctest::Contains("would hold itself"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_one(unescape(R"(\x80\x02}q\x00(X\x01\x00\x00\x00ah\x00u.)")),
                       doctest::Contains("would hold itself"), std::runtime_error);

  // 200k distinct keys and a repeated one: a hashed dict, last value wins, as in Python.
  std::string keys = "\x80\x02}(";
  for (int i = 0; i < 200000; ++i) keys += "X" + gs::test::le(std::to_string(i).size(), 4) + std::to_string(i) + "K\x01";
  keys += "X" + gs::test::le(1, 4) + "7" + "K\x02";
  const PickleValue d = load_one(keys + "u.");
  CHECK(d.as_dict("").items.size() == 200000);
  CHECK(item(d, "7").as_int("") == 2);

  // One long string fetched from the memo again and again: refused before it costs gigabytes.
  std::string copies = "\x80\x02](X" + gs::test::le(100000, 4) + std::string(100000, 'x') + "q\x01";
  for (int i = 0; i < 20000; ++i) copies += "h\x01";
  CHECK_THROWS_WITH_AS(load_one(copies + "e."), doctest::Contains("memo look-ups copy more than"), std::runtime_error);
}

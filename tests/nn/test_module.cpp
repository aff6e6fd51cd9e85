#include "nn/module.h"

#include <doctest/doctest.h>

TEST_CASE("nn module: parameters by canonical name; set checks shapes; freezing by prefix") {
  gs::nn::Module m;
  m.add_parameter("encoder.conv0.weight", gs::Tensor({3, 3, 1, 1}));
  m.add_parameter("decoder.dec1_1.bias", gs::Tensor({3}));
  CHECK(m.names() == std::vector<std::string>{"encoder.conv0.weight", "decoder.dec1_1.bias"});
  CHECK_THROWS_AS(m.add_parameter("decoder.dec1_1.bias", gs::Tensor({3})), std::logic_error);
  m.set("decoder.dec1_1.bias", gs::Tensor({3}, {1, 2, 3}));
  CHECK(m.get("decoder.dec1_1.bias").value().at({2}) == 3.f);
  CHECK_THROWS_WITH_AS(m.set("decoder.dec1_1.bias", gs::Tensor({4})), doctest::Contains("[4]"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.get("decoder.nope"), doctest::Contains("encoder.conv0.weight"), std::out_of_range);
  m.set_trainable("encoder.", false);
  CHECK(m.trainable().size() == 1);
  CHECK_FALSE(m.get("encoder.conv0.weight").requires_grad());
}

#include "dispatch/action_log.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(ActionLog, FilteredParamsHideListedKeysAtAnyDepth) {
  const Json params = Json::parse(
      R"({"password":"p","user":"u","nested":{"token":"t","keep":1},"list":[{"password":"q"},2]})");
  const Json filtered = filter_params(params, {"password", "token"});
  EXPECT_EQ(filtered,
            Json::parse(R"({"password":"[FILTERED]","user":"u","nested":{"token":"[FILTERED]","keep":1},
                                      "list":[{"password":"[FILTERED]"},2]})"));
  EXPECT_EQ(filter_params(params, {}), params);
}

TEST(ActionLog, LevelsSayWhichActionsAreLogged) {
  ActionLogSettings settings;
  EXPECT_TRUE(settings.wants(true));
  EXPECT_FALSE(settings.wants(false));
  settings.level = ActionLogSettings::level_of("all");
  EXPECT_TRUE(settings.wants(false));
  settings.level = ActionLogSettings::level_of("none");
  EXPECT_FALSE(settings.wants(true));
}

}  // namespace
}  // namespace actionhost

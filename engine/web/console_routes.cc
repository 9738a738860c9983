// The one list of console page families. Adding pages: write pages_<family>.cc returning its
// routes, declare it in console_page.h, add one line here. Navigation follows this order.
#include "engine/web/console_page.h"

namespace sunshine::web {

const std::vector<ConsoleRoute>& AllConsoleRoutes() {
  static const std::vector<ConsoleRoute> kAll = [] {
    std::vector<ConsoleRoute> all;
    for (auto family :
         {AuthPages, OfficerPages, RequestPages, RecordPages, CompliancePages, AdminPages}) {
      for (const ConsoleRoute& route : family()) {
        all.push_back(route);
      }
    }
    return all;
  }();
  return kAll;
}

}  // namespace sunshine::web

#include "engine/requests/request_steps.h"

#include "engine/core/time_format.h"
#include "engine/requests/business_calendar.h"
#include "engine/requests/request_repository.h"

namespace sunshine {

Result<StepOutcome> RequestsNightlyStep(StepContext& context) {
  StepOutcome outcome;
  SysDays today = context.clock.Today();
  std::vector<std::string> released;
  {
    SUNSHINE_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(context.store.db()));
    SUNSHINE_ASSIGN_OR_RETURN(
        released, RequestRepository::ReleaseDueHolds(context.store, context.actor, today));
    SUNSHINE_RETURN_IF_ERROR(transaction->Commit());
  }
  for (const std::string& id : released) {
    outcome.lines.push_back("released the automatic hold of closed request " + id);
  }
  SUNSHINE_ASSIGN_OR_RETURN(BusinessCalendar calendar,
                            BusinessCalendar::FromConfig(context.store.config()));
  std::string soon = FormatDate(calendar.AddBusinessDays(today, 2));
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
  std::int64_t open = 0;
  SUNSHINE_RETURN_IF_ERROR(
      RequestRepository::List(context.store.db(), today, [&](const SunshineRequest& request) {
        if (request.closed()) {
          return Status();
        }
        ++open;
        if (request.Overdue(today)) {
          ++overdue;
          outcome.warnings.push_back("request " + request.id + " is OVERDUE (due " +
                                     request.effective_due() + ", RSMo 610.023.3)");
        } else if (request.status == kRequestOpen && request.effective_due() <= soon) {
          ++due_soon;
          outcome.lines.push_back("request " + request.id + " is due by the end of " +
                                  request.effective_due());
        }
        if (request.withdraw_after && FormatDate(today) > *request.withdraw_after &&
            request.status != kRequestOpen) {
          outcome.lines.push_back("request " + request.id +
                                  " may be treated as withdrawn (no "
                                  "response since the notice of " +
                                  request.notice_on.value_or("?") + ")");
        }
        return Status();
      }));
  outcome.counts->set("open", open);
  outcome.counts->set("overdue", overdue);
  outcome.counts->set("due_soon", due_soon);
  outcome.counts->set("holds_released", static_cast<std::int64_t>(released.size()));
  return outcome;
}

}  // namespace sunshine

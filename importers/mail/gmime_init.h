// GMime is initialised once per process (g_mime_init is not reentrant); every adapter
// function calls this first.
#pragma once

namespace sunshine::mail {

void EnsureGMimeInitialized();

}  // namespace sunshine::mail

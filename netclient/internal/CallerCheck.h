#pragma once
// Who may store to us: the calling AE title must be a configured node's, and when that node
// names a host, the association must come from one of that host's addresses.
#include "netclient/StorageScp.h"

#include <string>
#include <vector>

namespace lb::netclient::internal {

std::string trimAeTitle(const std::string& title);
// "10.0.0.5" from "10.0.0.5" or "10.0.0.5:4242" (DCMTK's calling presentation address).
std::string hostOfAddress(const std::string& address);
bool callerAllowed(const std::vector<AllowedCaller>& allowed, const std::string& callingAe, const std::string& callingHost);

} // namespace lb::netclient::internal

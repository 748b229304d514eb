#include "netclient/RemoteNode.h"

namespace lb::netclient {

const char* retrieveMethodName(RetrieveMethod method)
{
    return method == RetrieveMethod::Get ? "get" : "move";
}

bool parseRetrieveMethod(const std::string& text, RetrieveMethod& out)
{
    if (text == "move") out = RetrieveMethod::Move;
    else if (text == "get") out = RetrieveMethod::Get;
    else return false;
    return true;
}

std::string RemoteNode::label() const
{
    return name + " (" + aeTitle + "@" + host + ":" + std::to_string(port) + ")";
}

} // namespace lb::netclient

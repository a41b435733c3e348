/* The dispatch-table look-up of the server framework (pure: unit-tested). */
#include <rs_server.h>

rs_handler_fn rs_server_handler(const struct rs_server *s, uint64_t label)
{
    return label < s->nhandlers ? s->handlers[label] : 0;
}

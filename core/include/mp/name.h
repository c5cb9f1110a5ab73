/*
 * Names for objects, so that a process can find one it was not handed (FreeRTOS's queue
 * registry, Zephyr's object names):
 *
 *     mp_object_set_name(q.id, "jobs");                     (any handle's id)
 *     mp_queue_t jobs;
 *     mp_object_find("jobs", &jobs.id);                     (in any process)
 *
 * Names are kept in a table of MP_CONF_MAX_NAMES entries; mp_dump shows them. A name goes
 * with its object: once the object is destroyed it is found no more and its entry is
 * reused. A found id is checked as every handle is, so using it as the wrong kind gets
 * MP_EHANDLE. Processes are named when created: mp_process_find (mp/process.h).
 */
#ifndef MP_NAME_H
#define MP_NAME_H

#include "mp/config.h"
#include "mp/types.h"

/* Names the live object id (renames it if it had a name). Names are unique among live
 * objects, so that a find is never ambiguous.
 * @retval MP_EINVAL name NULL or empty  @retval MP_ENAMETOOLONG MP_CONF_NAME_LEN characters or more
 * @retval MP_EHANDLE id is no object's (a process: its name is given at create)
 * @retval MP_ESTALE the object was destroyed  @retval MP_EBUSY another live object has the name
 * @retval MP_ENOSLOT MP_CONF_MAX_NAMES names taken  @retval MP_EISR in an interrupt handler */
mp_err_t mp_object_set_name(uint32_t id, const char *name);

/* The id of the live object named name. @retval MP_ENOENT none  @retval MP_EINVAL NULL */
mp_err_t mp_object_find(const char *name, uint32_t *id);

/* Copies id's name, NUL-terminated (cut to size - 1). @retval MP_ENOENT it has none
 * @retval MP_EINVAL buf NULL or size 0 */
mp_err_t mp_object_name(uint32_t id, char *buf, size_t size);

#endif

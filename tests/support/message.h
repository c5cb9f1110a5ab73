/*
 * Checksummed, sequence-numbered messages, for the suites that must tell a torn, repeated,
 * reordered or lost message from a good one (fault injection, soak).
 *
 *   bytes 0..3   sequence number, counted per stream (one stream per sender)
 *   bytes 4..5   stream id
 *   bytes 6..7   length of the whole message (12..MSG_MAX: it varies, so a message
 *                glued from two others has the wrong length or sum)
 *   bytes 8..11  checksum of every other byte
 *   bytes 12..   payload, a function of (stream, seq, position)
 *
 * The checksum covers the header too: a message whose sequence number was torn from
 * another one fails the check instead of being counted under the wrong number.
 */
#ifndef MP_TEST_MESSAGE_H
#define MP_TEST_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MSG_MAX 64u
#define MSG_HEADER 12u

static inline uint32_t msg_length(uint32_t stream, uint32_t seq)
{
    return MSG_HEADER + (seq * 7u + stream * 13u) % (MSG_MAX - MSG_HEADER + 1u);
}

static inline uint8_t msg_byte(uint32_t stream, uint32_t seq, uint32_t i)
{
    return (uint8_t)(seq * 31u + stream * 101u + i * 7u + 3u);
}

/* FNV-1a over the message with the checksum field left out. */
static inline uint32_t msg_sum(const uint8_t *buf, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        if (i >= 8 && i < MSG_HEADER)
            continue;
        h = (h ^ buf[i]) * 16777619u;
    }
    return h;
}

/* Writes message seq of stream into buf (MSG_MAX bytes); returns its length. */
static inline size_t msg_make(uint8_t *buf, uint32_t stream, uint32_t seq)
{
    uint32_t len = msg_length(stream, seq);
    uint16_t id = (uint16_t)stream, n = (uint16_t)len;
    memcpy(buf, &seq, 4);
    memcpy(buf + 4, &id, 2);
    memcpy(buf + 6, &n, 2);
    for (uint32_t i = MSG_HEADER; i < len; i++)
        buf[i] = msg_byte(stream, seq, i);
    uint32_t sum = msg_sum(buf, len);
    memcpy(buf + 8, &sum, 4);
    return len;
}

/* true if buf[0..len) is a whole, untouched message; then *stream and *seq name it. */
static inline bool msg_read(const uint8_t *buf, size_t len, uint32_t *stream, uint32_t *seq)
{
    if (len < MSG_HEADER || len > MSG_MAX)
        return false;
    uint16_t id, n;
    uint32_t s, sum;
    memcpy(&s, buf, 4);
    memcpy(&id, buf + 4, 2);
    memcpy(&n, buf + 6, 2);
    memcpy(&sum, buf + 8, 4);
    if (n != len || len != msg_length(id, s) || sum != msg_sum(buf, len))
        return false;
    for (uint32_t i = MSG_HEADER; i < len; i++)
        if (buf[i] != msg_byte(id, s, i))
            return false;
    *stream = id;
    *seq = s;
    return true;
}

/* A receiver's view of order: the last sequence number it saw from each stream
 * (UINT32_MAX: none yet). Each stream's messages must reach it in increasing order,
 * though it may see only some of them (other receivers take the rest). */
static inline void msg_order_init(uint32_t *last, size_t streams)
{
    for (size_t i = 0; i < streams; i++)
        last[i] = UINT32_MAX;
}

/* Records seq of stream; false when it does not come after the last one seen from it. */
static inline bool msg_in_order(uint32_t *last, uint32_t stream, uint32_t seq)
{
    bool in_order = last[stream] == UINT32_MAX || seq > last[stream];
    last[stream] = seq;
    return in_order;
}

#endif

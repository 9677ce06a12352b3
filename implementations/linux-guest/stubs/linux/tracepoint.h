/* SPDX-License-Identifier: GPL-2.0 */
/* Stub: Linux's tracepoints become empty inline functions. */
#include "lg_kernel.h"
#ifndef LG_TRACEPOINT_H
#define LG_TRACEPOINT_H
#define TP_PROTO(...) __VA_ARGS__
#define TP_ARGS(...) __VA_ARGS__
#define TRACE_EVENT(name, proto, args, tstruct, assign, print) \
	static inline void trace_##name(proto) { }
#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args) \
	static inline void trace_##name(proto) { }
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Stub: tracepoints are not generated. */

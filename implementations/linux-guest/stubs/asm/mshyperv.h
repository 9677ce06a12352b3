/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stub of arch/x86/include/asm/mshyperv.h: no hypercalls. The real (unchanged)
 * include/asm-generic/mshyperv.h supplies ms_hyperv, hv_cpu_number_to_vp_number, ...
 */
#ifndef LG_ASM_MSHYPERV_H
#define LG_ASM_MSHYPERV_H
#include "lg_kernel.h"
#include <asm/hyperv-tlfs.h>
static inline u64 hv_do_hypercall(u64 control, void *input, void *output) { (void)control; (void)input; (void)output; return 0; }
static inline u64 hv_do_fast_hypercall8(u16 code, u64 input1) { (void)code; (void)input1; return 0; }
static inline u64 hv_do_fast_hypercall16(u16 code, u64 input1, u64 input2) { (void)code; (void)input1; (void)input2; return 0; }
static inline void hv_set_msr(unsigned int reg, u64 value) { (void)reg; (void)value; }
static inline u64 hv_get_msr(unsigned int reg) { (void)reg; return 0; }
#include <asm-generic/mshyperv.h>
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Stub: everything lives in lg_kernel.h. */
#include "lg_kernel.h"

// The model's configuration lives in arch/config.h, beside the layer tables, where data/ can read it
// without depending on models/.
#pragma once
#include "arch/config.h"

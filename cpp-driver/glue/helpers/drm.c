// SPDX-License-Identifier: GPL-2.0-only
/* C++ glue helpers: DRM devices. Copyright (C) 2026 The refgpu authors */

#include <linux/err.h>

#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "refgpu_glue_internal.h"

/*
 * Allocate a device-managed DRM device with @priv_size bytes of storage for
 * the C++ refgpu::Device after it; the C++ side constructs it in place.
 */
int refgpu_cpp_drm_dev_alloc(struct device *parent, unsigned long priv_size,
			     struct drm_device **drm, void **priv)
{
	struct refgpu_cpp_drm_device *rd;

	rd = __devm_drm_dev_alloc(parent, &refgpu_cpp_drm_driver, sizeof(*rd) + priv_size,
				  offsetof(struct refgpu_cpp_drm_device, base));
	if (IS_ERR(rd))
		return PTR_ERR(rd);
	*drm = &rd->base;
	*priv = rd->priv;
	return 0;
}

void *refgpu_cpp_drm_priv(struct drm_device *drm)
{
	return container_of(drm, struct refgpu_cpp_drm_device, base)->priv;
}

/* Run @release(@priv) when the last reference to @drm goes; on failure now. */
int refgpu_cpp_drm_add_release(struct drm_device *drm,
			       void (*release)(struct drm_device *drm, void *priv), void *priv)
{
	return drmm_add_action_or_reset(drm, release, priv);
}

int refgpu_cpp_drm_dev_register(struct drm_device *drm)
{
	return drm_dev_register(drm, 0);
}

void refgpu_cpp_drm_dev_unplug(struct drm_device *drm)
{
	drm_dev_unplug(drm);
}

struct device *refgpu_cpp_drm_parent(struct drm_device *drm)
{
	return drm->dev;
}

/*
 * drm_err() and drm_err_ratelimited() for the C++ driver: the same prefix
 * and the same rate limit as the C driver's messages. drm_err_ratelimited()
 * keeps one ratelimit state per call site; this helper is the C++ driver's
 * only rate-limited call site (the FAULT interrupt), so one state here
 * behaves the same.
 */
void refgpu_cpp_drm_verr(struct drm_device *drm, int ratelimited, const char *fmt,
			 va_list args)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list copy;

	if (ratelimited && !__ratelimit(&rs))
		return;
	/* A va_list parameter may be an array decayed to a pointer: copy it. */
	va_copy(copy, args);
	vaf.fmt = fmt;
	vaf.va = &copy;
	drm_err(drm, "%pV", &vaf);
	va_end(copy);
}

int refgpu_cpp_drm_dev_enter(struct drm_device *drm, int *idx)
{
	return drm_dev_enter(drm, idx) ? 0 : -ENODEV;
}

void refgpu_cpp_drm_dev_exit(int idx)
{
	drm_dev_exit(idx);
}

void refgpu_cpp_drm_file_set_priv(struct drm_file *file, void *priv)
{
	file->driver_priv = priv;
}

void *refgpu_cpp_drm_file_priv(struct drm_file *file)
{
	return file->driver_priv;
}

unsigned long long refgpu_cpp_drm_file_client_id(struct drm_file *file)
{
	return file->client_id;
}

/* The file's data is the C++ show function. */
static int refgpu_cpp_debugfs_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;
	refgpu_cpp_debugfs_show_t show = entry->file.data;

	return show(entry->dev, m);
}

void refgpu_cpp_drm_debugfs_add_file(struct drm_device *drm, const char *name,
				     refgpu_cpp_debugfs_show_t show)
{
	drm_debugfs_add_file(drm, name, refgpu_cpp_debugfs_show, show);
}

void refgpu_cpp_seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	va_list aq;

	va_copy(aq, args);
	seq_vprintf(m, fmt, aq);
	va_end(aq);
}

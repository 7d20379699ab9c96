// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "recorder.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace refgpu::trace {

using schema::Dir;
using schema::HandleRole;

namespace {

constexpr unsigned kDrmIoctlType = 'd';

bool has_in(Dir d)
{
	return d == Dir::In || d == Dir::InOut;
}

bool has_out(Dir d)
{
	return d == Dir::Out || d == Dir::InOut;
}

} // namespace

Recorder::Recorder(Schemas schemas, Os &os, Sink sink, const std::string &program)
	: schemas_(std::move(schemas)), os_(os), sink_(std::move(sink))
{
	sink_(header_record(schemas_, program).dump() + "\n");
}

void Recorder::emit(json &ev)
{
	sink_(ev.dump() + "\n");
}

bool Recorder::track(int fd)
{
	if (fds_.count(fd))
		return true;
	std::string node, driver, device;
	if (fd < 0 || !os_.drm_fd(fd, &node, &driver, &device))
		return false;
	fds_[fd] = {next_file_++};
	unsigned dev = devs_.emplace(device, static_cast<unsigned>(devs_.size())).first->second;
	json ev = {{"op", op_++}, {"ev", "open"}, {"fd", fd}, {"node", node}, {"driver", driver}, {"dev", dev}};
	emit(ev);
	return true;
}

// What the program wrote through its mappings since the last event: the
// replayer writes the same bytes at the same point.
void Recorder::sync_writes()
{
	const std::uint64_t page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
	for (auto &[addr, m] : maps_) {
		std::vector<std::uint8_t> cur = read_mem(m.addr, m.len);
		json chunks = json::array();
		for (std::uint64_t off = 0; off < cur.size(); off += page) {
			std::uint64_t n = std::min<std::uint64_t>(page, cur.size() - off);
			bool same = off + n <= m.shadow.size() &&
				    std::equal(cur.begin() + off, cur.begin() + off + n, m.shadow.begin() + off);
			if (!same)
				chunks.push_back({off, to_hex(cur.data() + off, n)});
		}
		if (!chunks.empty()) {
			json ev = {{"op", op_++}, {"ev", "write"}, {"map", m.id}, {"chunks", chunks}};
			emit(ev);
		}
		m.shadow = std::move(cur);
	}
}

int Recorder::ioctl(int fd, unsigned long request, void *arg)
{
	std::unique_lock<std::mutex> lock(mu_);
	if (_IOC_TYPE(request) != kDrmIoctlType || !track(fd)) {
		lock.unlock();
		return os_.ioctl(fd, request, arg);
	}
	sync_writes();
	json ev = {{"op", op_++}, {"ev", "ioctl"}, {"fd", fd}, {"req", hex(request)}};
	const schema::Schema *s = nullptr;
	const schema::Ioctl *io = schemas_.find(request, &s);
	const schema::Struct *st = io ? s->find_struct(io->arg) : nullptr;
	if (io)
		ev["ioctl"] = io->name;
	else
		ev["opaque"] = true;
	const std::size_t size = _IOC_SIZE(request);
	const auto addr = reinterpret_cast<std::uint64_t>(arg);
	int ret, err;
	if (!size) {
		ev["argval"] = hex(addr);
		ret = os_.ioctl(fd, request, arg);
		err = errno;
	} else {
		std::vector<std::uint8_t> in = read_mem(addr, size);
		json a = {{"len", size}, {"access", access_json(probe_access(addr, size))}, {"in", to_hex(in)}};
		std::vector<FlatField> flat;
		std::vector<Region> regs;
		json mem = json::array();
		if (st && st->size == size && in.size() == size) {
			flat = flatten(*s, *st);
			regs = regions(*s, flat, in.data());
			for (const auto &r : regs) {
				json m = {{"field", r.ptr->path}};
				if (!r.addr) {
					m["null"] = true;
				} else if (r.len > kMaxRegion) {
					m["len"] = r.len;
					m["unrecorded"] = true;
				} else {
					m["len"] = r.len;
					m["access"] = access_json(probe_access(r.addr, r.len));
					// Output buffers too: what the call leaves alone must
					// still hold it on replay.
					auto b = read_mem(r.addr, r.len);
					m["in"] = to_hex(b);
					if (has_in(r.data) && !r.elem.empty())
						m["view_in"] = view(*s, r.elem, b.data(), b.size(), r.count, r.stride);
				}
				mem.push_back(m);
			}
		}
		ret = os_.ioctl(fd, request, arg);
		err = errno;
		std::vector<std::uint8_t> out;
		if (_IOC_DIR(request) & _IOC_READ) {
			out = read_mem(addr, size);
			a["out"] = to_hex(out);
		}
		for (std::size_t i = 0; i < regs.size(); i++) {
			const Region &r = regs[i];
			if (!r.addr || r.len > kMaxRegion || !has_out(r.data))
				continue;
			auto b = read_mem(r.addr, r.len);
			mem[i]["out"] = to_hex(b);
			mem[i]["view_out"] = r.elem.empty() ? view(*s, "", b.data(), b.size())
							     : view(*s, r.elem, b.data(), b.size(), r.count, r.stride);
		}
		ev["arg"] = a;
		if (!mem.empty())
			ev["mem"] = mem;
		if (st && in.size() == size) {
			ev["view"] = {{"in", view(*s, st->name, in.data(), in.size())}};
			if (out.size() == size)
				ev["view"]["out"] = view(*s, st->name, out.data(), out.size());
		}
		// A file an ioctl created (a dma-buf) is followed like a DRM file.
		if (ret == 0 && out.size() == size)
			for (const auto &ff : flat)
				if (ff.field->ann.handle == "fd" && ff.field->ann.handle_role == HandleRole::Create &&
				    has_out(schema::Schema::field_dir(*io, *ff.field))) {
					std::int64_t nfd = load_signed(out.data() + ff.off, ff.field->size);
					if (nfd >= 0)
						fds_[static_cast<int>(nfd)] = {next_file_++};
				}
	}
	ev["ret"] = ret < 0 ? -1 : ret;
	ev["errno"] = ret < 0 ? err : 0;
	emit(ev);
	errno = err;
	return ret;
}

void *Recorder::mmap(void *addr, std::size_t len, int prot, int flags, int fd, off_t off)
{
	std::unique_lock<std::mutex> lock(mu_);
	if (fd < 0 || (flags & MAP_ANONYMOUS) || !track(fd)) {
		lock.unlock();
		return os_.mmap(addr, len, prot, flags, fd, off);
	}
	sync_writes();
	json ev = {{"op", op_++},   {"ev", "mmap"},	  {"fd", fd},
		   {"len", len},     {"prot", prot},	  {"flags", flags},
		   {"offset", hex(static_cast<std::uint64_t>(off))}};
	void *p = os_.mmap(addr, len, prot, flags, fd, off);
	int err = errno;
	ev["ret"] = p == MAP_FAILED ? -1 : 0;
	ev["errno"] = p == MAP_FAILED ? err : 0;
	if (p != MAP_FAILED) {
		Map m{next_map_++, reinterpret_cast<std::uint64_t>(p), len, {}};
		if (prot & PROT_READ)
			m.shadow = read_mem(m.addr, len);
		ev["map"] = m.id;
		ev["hash"] = hex(fnv1a(m.shadow.data(), m.shadow.size()));
		if (m.shadow.size() != len)
			ev["readable"] = m.shadow.size();
		maps_[m.addr] = std::move(m);
	}
	emit(ev);
	errno = err;
	return p;
}

int Recorder::munmap(void *addr, std::size_t len)
{
	std::unique_lock<std::mutex> lock(mu_);
	const auto a = reinterpret_cast<std::uint64_t>(addr);
	auto it = maps_.upper_bound(a);
	if (it == maps_.begin() || (--it, a >= it->second.addr + it->second.len)) {
		lock.unlock();
		return os_.munmap(addr, len);
	}
	sync_writes();
	Map &m = it->second;
	std::vector<std::uint8_t> before = read_mem(a, len);
	json ev = {{"op", op_++},	     {"ev", "munmap"}, {"map", m.id},
		   {"off", a - m.addr}, {"len", len},	       {"hash", hex(fnv1a(before.data(), before.size()))}};
	int ret = os_.munmap(addr, len);
	int err = errno;
	ev["ret"] = ret;
	ev["errno"] = ret ? err : 0;
	if (ret == 0 && a <= m.addr && a + len >= m.addr + m.len)
		maps_.erase(it);
	emit(ev);
	errno = err;
	return ret;
}

int Recorder::close(int fd)
{
	std::unique_lock<std::mutex> lock(mu_);
	if (!fds_.count(fd)) {
		lock.unlock();
		return os_.close(fd);
	}
	sync_writes();
	json ev = {{"op", op_++}, {"ev", "close"}, {"fd", fd}};
	int ret = os_.close(fd);
	int err = errno;
	fds_.erase(fd);
	ev["ret"] = ret;
	ev["errno"] = ret ? err : 0;
	emit(ev);
	errno = err;
	return ret;
}

void Recorder::dup_done(int oldfd, int newfd)
{
	std::lock_guard<std::mutex> lock(mu_);
	if (newfd < 0)
		return;
	if (!fds_.count(oldfd)) {
		fds_.erase(newfd); // dup2 over a followed file closed it
		return;
	}
	sync_writes();
	fds_[newfd] = fds_[oldfd];
	json ev = {{"op", op_++}, {"ev", "dup"}, {"fd", oldfd}, {"newfd", newfd}};
	emit(ev);
}

} // namespace refgpu::trace

// SPDX-License-Identifier: MIT
// Copyright (C) 2026 The refgpu authors
#include "exec.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sstream>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace refgpu::igt {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0)
{
	return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string link_basename(const fs::path &p)
{
	std::error_code ec;
	const fs::path t = fs::read_symlink(p, ec);
	return ec ? std::string() : t.filename().string();
}

} // namespace

Process run_process(const std::vector<std::string> &argv, double timeout)
{
	Process res;
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		res.error = std::string("pipe: ") + std::strerror(errno);
		return res;
	}
	std::vector<char *> args;
	for (const auto &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);

	const auto t0 = Clock::now();
	const pid_t pid = fork();
	if (pid < 0) {
		res.error = std::string("fork: ") + std::strerror(errno);
		return res;
	}
	if (pid == 0) {
		setpgid(0, 0);
		const int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execv(args[0], args.data());
		dprintf(2, "exec %s: %s\n", args[0], std::strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);

	pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
	std::string *bufs[2] = {&res.out, &res.err};
	int open_fds = 2;
	bool termed = false;
	while (open_fds > 0) {
		const double left = (termed ? timeout + 2 : timeout) - since(t0);
		if (left <= 0) {
			if (!termed) {
				res.timed_out = true;
				kill(-pid, SIGTERM);
				termed = true;
				continue;
			}
			kill(-pid, SIGKILL);
			break;
		}
		const int n = poll(fds, 2, static_cast<int>(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			const ssize_t r = read(fds[i].fd, buf, sizeof(buf));
			if (r > 0) {
				bufs[i]->append(buf, static_cast<std::size_t>(r));
			} else if (r == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (auto &f : fds)
		if (f.fd >= 0)
			close(f.fd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	// Helpers the test left behind in its group go too.
	kill(-pid, SIGKILL);
	res.seconds = since(t0);
	if (WIFSIGNALED(status)) {
		res.signaled = true;
		res.signal = WTERMSIG(status);
	} else {
		res.exit_code = WEXITSTATUS(status);
	}
	return res;
}

Kmsg::Kmsg() : fd_(open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {}

Kmsg::~Kmsg()
{
	if (fd_ >= 0)
		close(fd_);
}

void Kmsg::mark()
{
	if (fd_ >= 0)
		lseek(fd_, 0, SEEK_END);
}

std::vector<KmsgRecord> Kmsg::take(bool *lost)
{
	std::vector<KmsgRecord> recs;
	*lost = false;
	if (fd_ < 0)
		return recs;
	for (;;) {
		char buf[8192];
		const ssize_t n = read(fd_, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE) { // overwritten before we read them
			*lost = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (auto r = parse_kmsg_record(std::string(buf, static_cast<std::size_t>(n))))
			recs.push_back(*r);
	}
	return recs;
}

std::vector<Device> find_devices(const fs::path &sysfs)
{
	std::vector<Device> devs;
	std::error_code ec;
	for (const auto &e : fs::directory_iterator(sysfs / "bus/platform/devices", ec)) {
		const std::string name = e.path().filename().string();
		if (name.rfind("refgpu.", 0) != 0)
			continue;
		Device d{name, link_basename(e.path() / "driver"), {}, {}};
		if (d.driver.empty())
			continue;
		d.syspath = fs::canonical(e.path(), ec).string();
		for (const auto &m : fs::directory_iterator(e.path() / "drm", ec))
			if (m.path().filename().string().rfind("renderD", 0) == 0)
				d.render = "/dev/dri/" + m.path().filename().string();
		devs.push_back(d);
	}
	std::sort(devs.begin(), devs.end(),
		  [](const Device &a, const Device &b) { return a.driver < b.driver; });
	return devs;
}

std::vector<fs::path> find_tests(const fs::path &dir)
{
	std::vector<fs::path> tests;
	std::error_code ec;
	for (const auto &e : fs::directory_iterator(dir, ec)) {
		const std::string name = e.path().filename().string();
		if (name.rfind("refgpu_", 0) == 0 && e.is_regular_file() &&
		    access(e.path().c_str(), X_OK) == 0)
			tests.push_back(e.path());
	}
	std::sort(tests.begin(), tests.end());
	return tests;
}

std::vector<std::string> list_subtests(const fs::path &binary, std::string &error)
{
	const Process p = run_process({binary.string(), "--list-subtests"}, 60);
	std::vector<std::string> names;
	if (!p.error.empty() || p.signaled || p.timed_out || p.exit_code != 0) {
		error = binary.string() + " --list-subtests failed (exit " + std::to_string(p.exit_code) +
			", signal " + std::to_string(p.signal) + "): " + p.err + p.error;
		return names;
	}
	std::istringstream in(p.out);
	for (std::string l; std::getline(in, l);)
		if (!l.empty())
			names.push_back(l);
	if (names.empty())
		error = binary.string() + " lists no subtests";
	return names;
}

std::string uname_string()
{
	utsname u{};
	if (uname(&u))
		return {};
	return std::string(u.sysname) + " " + u.release + " " + u.version + " " + u.machine;
}

} // namespace refgpu::igt

// SPDX-License-Identifier: MIT
// reggen: atomic, write-only-if-changed output files.

#include "reggen/reggen.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace reggen {

namespace {

bool same_content(const std::string &path, std::string_view content)
{
	std::FILE *f = std::fopen(path.c_str(), "rb");
	if (!f)
		return false;
	std::string old;
	char buf[8192];
	std::size_t n;
	while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0 && old.size() <= content.size())
		old.append(buf, n);
	bool ok = !std::ferror(f);
	std::fclose(f);
	return ok && old == content;
}

} // namespace

WriteResult write_if_changed(const std::string &path, std::string_view content, std::string &error)
{
	if (same_content(path, content))
		return WriteResult::Unchanged;

	const std::string tmp = path + ".tmp." + std::to_string(getpid());
	int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error = "cannot create " + tmp + ": " + std::strerror(errno);
		return WriteResult::Error;
	}
	std::size_t done = 0;
	while (done < content.size()) {
		ssize_t n = write(fd, content.data() + done, content.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = "cannot write " + tmp + ": " + std::strerror(errno);
			close(fd);
			unlink(tmp.c_str());
			return WriteResult::Error;
		}
		done += static_cast<std::size_t>(n);
	}
	if (close(fd) != 0) {
		error = "cannot write " + tmp + ": " + std::strerror(errno);
		unlink(tmp.c_str());
		return WriteResult::Error;
	}
	if (rename(tmp.c_str(), path.c_str()) != 0) {
		error = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
		unlink(tmp.c_str());
		return WriteResult::Error;
	}
	return WriteResult::Written;
}

} // namespace reggen

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every errno number the kernel can print, with its symbolic name and what it means, in English
 * and Chinese. The numbers are the kernel's own (asm-generic errno-base.h and errno.h, plus the
 * kernel-internal codes 512 and up from include/linux/errno.h), not the host libc's: a log may come
 * from another machine, and glibc's strerror() knows neither the internal codes nor Chinese.
 * Alpha, MIPS, PA-RISC and SPARC number some codes differently; their logs are decoded with the
 * generic numbers, which every architecture fsdoctor has seen in the field uses. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "kb-internal.h"

struct errno_info {
        const char *name;
        const char *en;
        const char *zh;
};

/* indexed by the positive errno number */
static const struct errno_info errno_generic[] = {
        [1] = { "EPERM", "operation not permitted", "操作不被允许" },
        [2] = { "ENOENT", "no such file, directory or entry", "没有该文件、目录或条目" },
        [3] = { "ESRCH", "no such process", "没有该进程" },
        [4] = { "EINTR", "interrupted (by a signal or a cancel request)", "被中断（信号或取消请求）" },
        [5] = { "EIO", "input/output error", "输入/输出错误" },
        [6] = { "ENXIO", "no such device or address", "没有该设备或地址" },
        [7] = { "E2BIG", "argument list too long", "参数列表过长" },
        [8] = { "ENOEXEC", "executable format error", "可执行文件格式错误" },
        [9] = { "EBADF", "bad file descriptor", "文件描述符无效" },
        [10] = { "ECHILD", "no child processes", "没有子进程" },
        [11] = { "EAGAIN", "resource temporarily unavailable, try again", "资源暂时不可用，请重试" },
        [12] = { "ENOMEM", "out of memory", "内存不足" },
        [13] = { "EACCES", "permission denied", "权限不足" },
        [14] = { "EFAULT", "bad address", "地址无效" },
        [15] = { "ENOTBLK", "block device required", "需要块设备" },
        [16] = { "EBUSY", "device or resource busy", "设备或资源忙" },
        [17] = { "EEXIST", "already exists", "已存在" },
        [18] = { "EXDEV", "cross-device link", "跨设备链接" },
        [19] = { "ENODEV", "no such device", "没有该设备" },
        [20] = { "ENOTDIR", "not a directory", "不是目录" },
        [21] = { "EISDIR", "is a directory", "是一个目录" },
        [22] = { "EINVAL", "invalid argument", "参数无效" },
        [23] = { "ENFILE", "too many open files in the system", "系统中打开的文件过多" },
        [24] = { "EMFILE", "too many open files (also: no anonymous device number left, as with very many btrfs subvolumes)",
                 "打开的文件过多（也可能是匿名设备号已用尽，例如 btrfs 子卷极多时）" },
        [25] = { "ENOTTY", "inappropriate ioctl for device", "设备不支持该 ioctl" },
        [26] = { "ETXTBSY", "text file busy", "文本文件忙" },
        [27] = { "EFBIG", "file too large (or a table such as btrfs's system chunk array is full)",
                 "文件过大（或 btrfs 系统块组数组之类的表已满）" },
        [28] = { "ENOSPC", "no space left on device", "设备上没有剩余空间" },
        [29] = { "ESPIPE", "illegal seek", "非法的 seek 操作" },
        [30] = { "EROFS", "read-only filesystem", "只读文件系统" },
        [31] = { "EMLINK", "too many links", "链接过多" },
        [32] = { "EPIPE", "broken pipe", "管道已断开" },
        [33] = { "EDOM", "numerical argument out of domain", "数值参数超出定义域" },
        [34] = { "ERANGE", "numerical result out of range", "数值结果超出范围" },
        [35] = { "EDEADLK", "resource deadlock avoided", "已避免资源死锁" },
        [36] = { "ENAMETOOLONG", "file name too long", "文件名过长" },
        [37] = { "ENOLCK", "no locks available", "没有可用的锁" },
        [38] = { "ENOSYS", "function not implemented", "功能未实现" },
        [39] = { "ENOTEMPTY", "directory not empty", "目录非空" },
        [40] = { "ELOOP", "too many levels of symbolic links", "符号链接层数过多" },
        [42] = { "ENOMSG", "no message of the desired type", "没有所需类型的消息" },
        [43] = { "EIDRM", "identifier removed", "标识符已被删除" },
        [44] = { "ECHRNG", "channel number out of range", "通道号超出范围" },
        [45] = { "EL2NSYNC", "level 2 not synchronized", "第 2 层未同步" },
        [46] = { "EL3HLT", "level 3 halted", "第 3 层已停止" },
        [47] = { "EL3RST", "level 3 reset", "第 3 层已复位" },
        [48] = { "ELNRNG", "link number out of range", "链接号超出范围" },
        [49] = { "EUNATCH", "protocol driver not attached", "协议驱动未挂接" },
        [50] = { "ENOCSI", "no CSI structure available", "没有可用的 CSI 结构" },
        [51] = { "EL2HLT", "level 2 halted", "第 2 层已停止" },
        [52] = { "EBADE", "invalid exchange", "无效的交换" },
        [53] = { "EBADR", "invalid request descriptor", "无效的请求描述符" },
        [54] = { "EXFULL", "exchange full", "交换区已满" },
        [55] = { "ENOANO", "no anode", "没有 anode" },
        [56] = { "EBADRQC", "invalid request code", "无效的请求码" },
        [57] = { "EBADSLT", "invalid slot", "无效的槽位" },
        [59] = { "EBFONT", "bad font file format", "字体文件格式错误" },
        [60] = { "ENOSTR", "device not a stream", "设备不是流设备" },
        [61] = { "ENODATA", "no data available (for a disk read: the device returned no data, often an unreadable sector)",
                 "没有可用的数据（对磁盘读取而言：设备未返回数据，通常是无法读取的扇区）" },
        [62] = { "ETIME", "timer expired", "计时器超时" },
        [63] = { "ENOSR", "out of streams resources", "流资源不足" },
        [64] = { "ENONET", "machine is not on the network", "机器不在网络上" },
        [65] = { "ENOPKG", "package not installed", "软件包未安装" },
        [66] = { "EREMOTE", "object is remote", "对象位于远程" },
        [67] = { "ENOLINK", "link has been severed", "链路已断开" },
        [68] = { "EADV", "advertise error", "通告错误" },
        [69] = { "ESRMNT", "srmount error", "srmount 错误" },
        [70] = { "ECOMM", "communication error on send", "发送时通信错误" },
        [71] = { "EPROTO", "protocol error", "协议错误" },
        [72] = { "EMULTIHOP", "multihop attempted", "尝试了多跳" },
        [73] = { "EDOTDOT", "RFS specific error", "RFS 特定错误" },
        [74] = { "EBADMSG", "bad message (ext4 and xfs: metadata checksum mismatch)",
                 "消息无效（ext4 和 xfs 中：元数据校验和不匹配）" },
        [75] = { "EOVERFLOW", "value too large for defined data type", "数值超出数据类型的范围" },
        [76] = { "ENOTUNIQ", "name not unique on network", "名称在网络上不唯一" },
        [77] = { "EBADFD", "file descriptor in bad state", "文件描述符状态异常" },
        [78] = { "EREMCHG", "remote address changed", "远程地址已改变" },
        [79] = { "ELIBACC", "cannot access a needed shared library", "无法访问所需的共享库" },
        [80] = { "ELIBBAD", "accessing a corrupted shared library", "正在访问已损坏的共享库" },
        [81] = { "ELIBSCN", ".lib section in a.out corrupted", "a.out 中的 .lib 段已损坏" },
        [82] = { "ELIBMAX", "attempting to link in too many shared libraries", "试图链接的共享库过多" },
        [83] = { "ELIBEXEC", "cannot exec a shared library directly", "不能直接执行共享库" },
        [84] = { "EILSEQ", "invalid or incomplete multibyte or wide character", "无效或不完整的多字节或宽字符" },
        [85] = { "ERESTART", "interrupted system call should be restarted", "被中断的系统调用应当重新执行" },
        [86] = { "ESTRPIPE", "streams pipe error", "流管道错误" },
        [87] = { "EUSERS", "too many users", "用户过多" },
        [88] = { "ENOTSOCK", "socket operation on non-socket", "对非套接字执行套接字操作" },
        [89] = { "EDESTADDRREQ", "destination address required", "需要目标地址" },
        [90] = { "EMSGSIZE", "message too long", "消息过长" },
        [91] = { "EPROTOTYPE", "protocol wrong type for socket", "协议类型与套接字不符" },
        [92] = { "ENOPROTOOPT", "protocol not available", "协议不可用" },
        [93] = { "EPROTONOSUPPORT", "protocol not supported", "不支持该协议" },
        [94] = { "ESOCKTNOSUPPORT", "socket type not supported", "不支持该套接字类型" },
        [95] = { "EOPNOTSUPP", "operation not supported", "不支持该操作" },
        [96] = { "EPFNOSUPPORT", "protocol family not supported", "不支持该协议族" },
        [97] = { "EAFNOSUPPORT", "address family not supported by protocol", "协议不支持该地址族" },
        [98] = { "EADDRINUSE", "address already in use", "地址已被占用" },
        [99] = { "EADDRNOTAVAIL", "cannot assign requested address", "无法分配所请求的地址" },
        [100] = { "ENETDOWN", "network is down", "网络已断开" },
        [101] = { "ENETUNREACH", "network is unreachable", "网络不可达" },
        [102] = { "ENETRESET", "network dropped connection on reset", "网络复位时断开了连接" },
        [103] = { "ECONNABORTED", "software caused connection abort", "软件导致连接中止" },
        [104] = { "ECONNRESET", "connection reset by peer", "连接被对端重置" },
        [105] = { "ENOBUFS", "no buffer space available", "没有可用的缓冲区空间" },
        [106] = { "EISCONN", "transport endpoint is already connected", "传输端点已连接" },
        [107] = { "ENOTCONN", "transport endpoint is not connected", "传输端点未连接" },
        [108] = { "ESHUTDOWN", "cannot send after transport endpoint shutdown", "传输端点关闭后无法发送" },
        [109] = { "ETOOMANYREFS", "too many references", "引用过多" },
        [110] = { "ETIMEDOUT", "timed out", "超时" },
        [111] = { "ECONNREFUSED", "connection refused", "连接被拒绝" },
        [112] = { "EHOSTDOWN", "host is down", "主机已关闭" },
        [113] = { "EHOSTUNREACH", "no route to host", "没有到主机的路由" },
        [114] = { "EALREADY", "operation already in progress", "操作已在进行中" },
        [115] = { "EINPROGRESS", "operation now in progress", "操作正在进行中" },
        [116] = { "ESTALE", "stale file handle", "文件句柄已失效" },
        [117] = { "EUCLEAN", "structure needs cleaning (ext4 and xfs: EFSCORRUPTED, the metadata is corrupt)",
                  "结构需要清理（ext4 和 xfs 中即 EFSCORRUPTED：元数据已损坏）" },
        [118] = { "ENOTNAM", "not a XENIX named type file", "不是 XENIX 命名类型文件" },
        [119] = { "ENAVAIL", "no XENIX semaphores available", "没有可用的 XENIX 信号量" },
        [120] = { "EISNAM", "is a named type file", "是命名类型文件" },
        [121] = { "EREMOTEIO", "remote I/O error", "远程输入/输出错误" },
        [122] = { "EDQUOT", "disk quota exceeded", "超出磁盘配额" },
        [123] = { "ENOMEDIUM", "no medium found", "未找到介质" },
        [124] = { "EMEDIUMTYPE", "wrong medium type", "介质类型错误" },
        [125] = { "ECANCELED", "operation canceled", "操作已取消" },
        [126] = { "ENOKEY", "required key not available", "所需的密钥不可用" },
        [127] = { "EKEYEXPIRED", "key has expired", "密钥已过期" },
        [128] = { "EKEYREVOKED", "key has been revoked", "密钥已被吊销" },
        [129] = { "EKEYREJECTED", "key was rejected by service", "密钥被服务拒绝" },
        [130] = { "EOWNERDEAD", "owner died", "持有者已终止" },
        [131] = { "ENOTRECOVERABLE", "state not recoverable", "状态无法恢复" },
        [132] = { "ERFKILL", "operation not possible due to RF-kill", "因射频开关（RF-kill）无法操作" },
        [133] = { "EHWPOISON", "memory page has hardware error", "内存页存在硬件错误" },
};

/* Kernel-internal codes (include/linux/errno.h): never returned to user space by design, but
 * printed in kernel messages all the same. Indexed by number - 512. */
static const struct errno_info errno_internal[] = {
        [0] = { "ERESTARTSYS", "interrupted by a signal, the system call is to be restarted",
                "被信号中断，系统调用将重新执行" },
        [1] = { "ERESTARTNOINTR", "system call to be restarted without interruption", "系统调用将无条件重新执行" },
        [2] = { "ERESTARTNOHAND", "restart the system call if there is no signal handler",
                "若没有信号处理函数则重新执行系统调用" },
        [3] = { "ENOIOCTLCMD", "ioctl command not handled by this driver", "该驱动不处理此 ioctl 命令" },
        [4] = { "ERESTART_RESTARTBLOCK", "restart the system call through its restart block",
                "通过 restart block 重新执行系统调用" },
        [5] = { "EPROBE_DEFER", "driver probe deferred until a dependency is ready", "驱动探测推迟到依赖就绪之后" },
        [6] = { "EOPENSTALE", "open found a stale dentry", "打开时遇到失效的 dentry" },
        [7] = { "ENOPARAM", "parameter not supported", "不支持该参数" },
        [9] = { "EBADHANDLE", "illegal NFS file handle", "非法的 NFS 文件句柄" },
        [10] = { "ENOTSYNC", "update synchronization mismatch", "更新同步不一致" },
        [11] = { "EBADCOOKIE", "cookie is stale", "cookie 已失效" },
        [12] = { "ENOTSUPP", "operation not supported (kernel-internal code)", "不支持该操作（内核内部错误码）" },
        [13] = { "ETOOSMALL", "buffer or request is too small", "缓冲区或请求过小" },
        [14] = { "ESERVERFAULT", "an untranslatable error occurred on the server", "服务器端发生无法转换的错误" },
        [15] = { "EBADTYPE", "type not supported by the server", "服务器不支持该类型" },
        [16] = { "EJUKEBOX", "request initiated, but will not complete before timeout", "请求已发出，但无法在超时前完成" },
        [17] = { "EIOCBQUEUED", "asynchronous I/O queued, its result comes later", "异步 I/O 已排队，结果稍后返回" },
        [18] = { "ERECALLCONFLICT", "conflict with a recalled state", "与已召回的状态冲突" },
        [19] = { "ENOGRACE", "NFS file lock reclaim refused", "NFS 文件锁回收被拒绝" },
};

#define ERRNO_INTERNAL_BASE 512

/* Other names the kernel and its filesystems give the same numbers. */
static const struct {
        const char *name;
        int value;
} errno_aliases[] = {
        { "EWOULDBLOCK", 11 }, { "EDEADLOCK", 35 }, { "EFSCORRUPTED", 117 }, { "EFSBADCRC", 74 },
        { "ENOTSUP", 95 },
};

static const struct errno_info *errno_lookup(int negative_errno) {
        int e = negative_errno < 0 ? -negative_errno : negative_errno;
        if (e > 0 && (size_t) e < ELEMENTSOF(errno_generic) && errno_generic[e].name)
                return &errno_generic[e];
        if (e >= ERRNO_INTERNAL_BASE && (size_t) (e - ERRNO_INTERNAL_BASE) < ELEMENTSOF(errno_internal) &&
            errno_internal[e - ERRNO_INTERNAL_BASE].name)
                return &errno_internal[e - ERRNO_INTERNAL_BASE];
        return NULL;
}

const char *fsd_errno_name(int err) {
        const struct errno_info *i = errno_lookup(err);
        return i ? i->name : NULL;
}

const char *fsd_errno_meaning(int err, bool zh) {
        const struct errno_info *i = errno_lookup(err);
        if (!i)
                return NULL;
        return zh ? i->zh : i->en;
}

int kb_errno_from_name(const char *s) {
        for (size_t i = 1; i < ELEMENTSOF(errno_generic); i++)
                if (errno_generic[i].name && strcmp(errno_generic[i].name, s) == 0)
                        return -(int) i;
        for (size_t i = 0; i < ELEMENTSOF(errno_internal); i++)
                if (errno_internal[i].name && strcmp(errno_internal[i].name, s) == 0)
                        return -(int) (i + ERRNO_INTERNAL_BASE);
        for (size_t i = 0; i < ELEMENTSOF(errno_aliases); i++)
                if (strcmp(errno_aliases[i].name, s) == 0)
                        return -errno_aliases[i].value;
        return 0;
}

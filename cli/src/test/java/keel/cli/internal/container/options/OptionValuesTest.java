package keel.cli.internal.container.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.cli.internal.json.JsonWriter;

/** The flag value parsers against docker's (go-units, opts, nat, compose loader) results and messages. */
class OptionValuesTest {

    @TempDir
    Path dir;

    private static String error(Executable e) {
        return assertThrows(BadValue.class, e::run).getMessage();
    }

    interface Executable {
        void run() throws BadValue;
    }

    @Test
    void ramSizesAreBinary() throws BadValue {
        assertEquals(64L << 20, RamSize.inBytes("64m"));
        assertEquals(1L << 30, RamSize.inBytes("1g"));
        assertEquals(1L << 30, RamSize.inBytes("1GB"));
        assertEquals(512L << 10, RamSize.inBytes("512KiB"));
        assertEquals(1610612736L, RamSize.inBytes("1.5g"));
        assertEquals(3L << 20, RamSize.inBytes("3 MB"));
        assertEquals(10, RamSize.inBytes("10b"));
        assertEquals(1000, RamSize.inBytes("1000"));
        assertEquals("invalid size: 'xyz'", error(() -> RamSize.inBytes("xyz")));
        assertEquals("invalid suffix: 'q'", error(() -> RamSize.inBytes("1q")));
        assertEquals("invalid suffix: 'mbb'", error(() -> RamSize.inBytes("1mbb")));
        assertEquals("invalid size: '-1'", error(() -> RamSize.inBytes("-1")));
        assertEquals("strconv.ParseFloat: parsing \"1..5\": invalid syntax", error(() -> RamSize.inBytes("1..5m")));
    }

    @Test
    void cpusBecomeNanoCpus() throws BadValue {
        assertEquals(1_500_000_000L, CpuQuantity.nanoCpus("1.5"));
        assertEquals(1_500_000_000L, CpuQuantity.nanoCpus("3/2"));
        assertEquals(1L, CpuQuantity.nanoCpus("0.000000001"));
        assertEquals(100_000_000L, CpuQuantity.nanoCpus("1e-1"));
        assertEquals("value is too precise", error(() -> CpuQuantity.nanoCpus("0.0000000001")));
        assertEquals("failed to parse abc as a rational number", error(() -> CpuQuantity.nanoCpus("abc")));
    }

    @Test
    void ulimits() throws BadValue {
        assertEquals(new UlimitValue("nofile", 1024, 2048), UlimitValue.parse("nofile=1024:2048"));
        assertEquals(new UlimitValue("nproc", 10, 10), UlimitValue.parse("nproc=10"));
        assertEquals(new UlimitValue("core", -1, -1), UlimitValue.parse("core=-1:-1"));
        assertEquals("{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}",
                JsonWriter.write(UlimitValue.parse("nofile=1024:2048").toJson(), true));
        assertEquals("invalid ulimit argument: nofile", error(() -> UlimitValue.parse("nofile")));
        assertEquals("invalid ulimit type: foo", error(() -> UlimitValue.parse("foo=1")));
        assertEquals("ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 5",
                error(() -> UlimitValue.parse("nofile=-1:5")));
        assertEquals("too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`",
                error(() -> UlimitValue.parse("nofile=1:2:3")));
        assertEquals("strconv.ParseInt: parsing \"a\": invalid syntax", error(() -> UlimitValue.parse("nofile=a")));
    }

    @Test
    void volumes() throws BadValue {
        assertEquals(new VolumeSpec("/host", "/ctr", true), VolumeSpec.parse("/host:/ctr:ro"));
        assertEquals(new VolumeSpec("named", "/data", false), VolumeSpec.parse("named:/data"));
        assertEquals(new VolumeSpec("", "/anon", false), VolumeSpec.parse("/anon"));
        assertEquals(new VolumeSpec("./rel", "/x", true), VolumeSpec.parse("./rel:/x"));
        assertEquals(new VolumeSpec("/a", "/b", true), VolumeSpec.parse("/a:/b:c:d"), "c: reads as a drive letter");
        assertEquals("invalid spec: :/x: empty section between colons", error(() -> VolumeSpec.parse(":/x")));
        assertEquals("invalid spec: /a:/b:ro:zz:q: too many colons", error(() -> VolumeSpec.parse("/a:/b:ro:zz:q")));
        assertEquals("invalid empty volume spec", error(() -> VolumeSpec.parse("")));
    }

    @Test
    void mounts() throws BadValue {
        assertEquals("{\"Type\":\"bind\",\"Source\":\"/src\",\"Target\":\"/dst\",\"ReadOnly\":true,\"BindOptions\":"
                + "{\"Propagation\":\"rshared\"}}", JsonWriter.write(MountValue.parse(
                        "type=bind,source=/src,target=/dst,readonly,bind-propagation=rshared"), true));
        assertEquals("{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1023}}",
                JsonWriter.write(MountValue.parse("type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1777"), true));
        assertEquals("{\"Type\":\"volume\",\"Source\":\"data\",\"Target\":\"/v\",\"VolumeOptions\":{\"NoCopy\":true,"
                + "\"Labels\":{\"a\":\"b\"},\"DriverConfig\":{}}}", JsonWriter.write(MountValue.parse(
                        "src=data,target=/v,volume-nocopy,volume-label=a=b"), true));
        assertEquals("{\"Type\":\"bind\",\"Source\":\"/a,b\",\"Target\":\"/c\"}",
                JsonWriter.write(MountValue.parse("type=bind,\"source=/a,b\",target=/c"), true), "csv quoting");
        assertEquals("target is required", error(() -> MountValue.parse("type=bind")));
        assertEquals("invalid field 'foo' must be a key=value pair", error(() -> MountValue.parse("foo")));
        assertEquals("invalid value for tmpfs-size: zz", error(() -> MountValue.parse("type=tmpfs,target=/x,tmpfs-size=zz")));
        assertEquals("cannot mix 'tmpfs-*' options with mount type 'bind'",
                error(() -> MountValue.parse("type=bind,target=/x,tmpfs-size=1")));
        assertEquals("unexpected key 'color' in 'color=red'", error(() -> MountValue.parse("target=/x,color=red")));
    }

    @Test
    void ports() throws BadValue {
        PortSpecs p = PortSpecs.parse(List.of("8080:80", "127.0.0.1:9000-9001:90-91/udp", "53/udp",
                "published=8443,target=443"), List.of("7000-7001"));
        assertEquals("{\"443/tcp\":{},\"53/udp\":{},\"7000/tcp\":{},\"7001/tcp\":{},\"80/tcp\":{},\"90/udp\":{},"
                + "\"91/udp\":{}}", JsonWriter.write(p.exposedPorts(), true));
        assertEquals("{\"443/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8443\"}],\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":"
                + "\"\"}],\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],\"90/udp\":[{\"HostIp\":\"127.0.0.1\","
                + "\"HostPort\":\"9000\"}],\"91/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9001\"}]}",
                JsonWriter.write(p.portBindings(), true));
        assertEquals("{\"80/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8000-8010\"}]}",
                JsonWriter.write(PortSpecs.parse(List.of("[::1]:8000-8010:80"), List.of()).portBindings(), true));
        assertEquals("invalid containerPort: abc", error(() -> PortSpecs.parse(List.of("abc"), List.of())));
        assertEquals("invalid proto: xyz", error(() -> PortSpecs.parse(List.of("80/xyz"), List.of())));
        assertEquals("invalid IP address: 1.2.3", error(() -> PortSpecs.parse(List.of("1.2.3:80:80"), List.of())));
        assertEquals("invalid port format for --expose: 80:90", error(() -> PortSpecs.parse(List.of(), List.of("80:90"))));
    }

    @Test
    void ipAddressesAreNormalizedAsGoPrintsThem() {
        assertEquals("1.1.1.1", IpAddress.normalize("1.1.1.1"));
        assertEquals("::1", IpAddress.normalize("0:0:0:0:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", IpAddress.normalize("2001:DB8:0:0:1:0:0:1"));
        assertEquals("10.0.0.1", IpAddress.normalize("::ffff:10.0.0.1"));
        assertEquals("fe80::", IpAddress.normalize("fe80::"));
        assertNull(IpAddress.normalize("01.1.1.1"));
        assertNull(IpAddress.normalize("1.1.1"));
        assertNull(IpAddress.normalize("example.com"));
        assertNull(IpAddress.normalize("1::2::3"));
    }

    @Test
    void envFilesAsDockersKvfile() throws Exception {
        Path f = dir.resolve("env");
        Files.write(f, ("\uFEFFA=1\r\n  # comment\n\nB= keep spaces \nBARE\nUNSET\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("A=1", "B= keep spaces ", "BARE=from host"),
                KeyValueFile.parse(f.toString(), k -> k.equals("BARE") ? "from host" : null));
        Files.writeString(f, "MY VAR=1\n");
        assertEquals("invalid env file (" + f + "): variable 'MY VAR' contains whitespaces",
                error(() -> KeyValueFile.parse(f.toString(), k -> null)));
        assertEquals("open /nonexistent/env: no such file or directory",
                error(() -> KeyValueFile.parse("/nonexistent/env", k -> null)));
    }

    @Test
    void goIntegersTakeBasePrefixes() throws BadValue {
        assertEquals(16, GoNumbers.parseInt("0x10", 0, 64));
        assertEquals(8, GoNumbers.parseInt("010", 0, 64));
        assertEquals(5, GoNumbers.parseInt("0b101", 0, 64));
        assertEquals(1000, GoNumbers.parseInt("1_000", 0, 64));
        assertEquals(-3, GoNumbers.parseInt("-3", 0, 64));
        assertEquals("strconv.ParseInt: parsing \"x\": invalid syntax", error(() -> GoNumbers.parseInt("x", 0, 64)));
        assertEquals("strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
                error(() -> GoNumbers.parseInt("99999999999999999999", 0, 64)));
    }

    @Test
    void restartPolicies() throws BadValue {
        assertEquals(Map.of("Name", "on-failure", "MaximumRetryCount", 3L),
                CreateRequestBuilder.restartPolicy("on-failure:3"));
        assertEquals(Map.of("Name", "always", "MaximumRetryCount", 0L), CreateRequestBuilder.restartPolicy("always"));
        assertEquals("invalid restart policy format: no policy provided before colon",
                error(() -> CreateRequestBuilder.restartPolicy(":3")));
    }

    @Test
    void capabilitiesAreNormalizedSortedAndUnique() {
        assertEquals(List.of("ALL", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"),
                CreateRequestBuilder.normalizeCapabilities(List.of("sys_admin", "CAP_SYS_ADMIN", "net_admin", "all")));
        assertNull(CreateRequestBuilder.normalizeCapabilities(List.of()));
    }
}

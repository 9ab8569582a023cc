package io.iios.cli;

import io.iios.api.InstanceInfo;
import io.iios.api.MethodInfo;
import io.iios.api.ServiceInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints live services, their instances and methods, for people or as JSON. */
final class ServiceListing {
    private ServiceListing() {
    }

    static void print(PrintWriter out, List<ServiceInfo> services, String indent) {
        List<ServiceInfo> sorted = services.stream().sorted(Comparator.comparing(ServiceInfo::name)).toList();
        for (ServiceInfo s : sorted) {
            int n = s.instances().size();
            out.println(indent + s.name() + "  (" + n + (n == 1 ? " instance)" : " instances)"));
            for (InstanceInfo i : s.instances()) {
                out.println(indent + "  instance " + i.instanceId() + "  node " + i.nodeId() + "  version " + i.version()
                        + "  started " + i.startedAt() + (i.httpEndpoint() == null ? "" : "  http " + i.httpEndpoint()));
            }
            Map<String, MethodInfo> methods = methods(s);
            int width = methods.keySet().stream().mapToInt(String::length).max().orElse(0);
            String label = "  methods  ";
            for (MethodInfo m : methods.values()) {
                out.println(indent + label + pad(m.name(), width) + "  " + pad(m.verb().name(), 6)
                        + (m.publicHttp() ? "public HTTP" : "internal (not on the public HTTP API)"));
                label = " ".repeat(label.length());
            }
        }
    }

    /** The methods of every instance of a service, by name. */
    private static Map<String, MethodInfo> methods(ServiceInfo s) {
        Map<String, MethodInfo> all = new TreeMap<>();
        s.instances().forEach(i -> all.putAll(i.methods()));
        return all;
    }

    static List<Map<String, Object>> asJson(List<ServiceInfo> services) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceInfo s : services.stream().sorted(Comparator.comparing(ServiceInfo::name)).toList()) {
            List<Map<String, Object>> instances = new ArrayList<>();
            for (InstanceInfo i : s.instances()) {
                Map<String, Object> inst = new LinkedHashMap<>();
                inst.put("instanceId", i.instanceId());
                inst.put("nodeId", i.nodeId());
                inst.put("version", i.version());
                inst.put("startedAt", i.startedAt().toString());
                inst.put("httpEndpoint", i.httpEndpoint());
                inst.put("publicOptions", i.publicOptions());
                List<Map<String, Object>> methods = new ArrayList<>();
                new TreeMap<>(i.methods()).values().forEach(m -> methods.add(Map.of("name", m.name(),
                        "verb", m.verb().name(), "publicHttp", m.publicHttp())));
                inst.put("methods", methods);
                instances.add(inst);
            }
            Map<String, Object> svc = new LinkedHashMap<>();
            svc.put("name", s.name());
            svc.put("instances", instances);
            out.add(svc);
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}

#!/usr/bin/python3
"""A client generated from proto/marketplace/v1 in another language (Python,
Debian's python3-grpcio) calls marketd with the key marketd printed on its
first start.

Usage: generated_client_check.py MARKETD_BINARY PROTO_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    marketd, proto_dir = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="marketd-python-")
    try:
        protos = [os.path.join("marketplace/v1", name)
                  for name in ("types.proto", "command.proto", "event.proto", "service.proto")]
        subprocess.run(["protoc", "-I" + proto_dir, "--python_out=" + work,
                        "--grpc_python_out=" + work,
                        "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + protos,
                       check=True)
        sys.path.insert(0, work)
        import grpc
        from marketplace.v1 import command_pb2, service_pb2, service_pb2_grpc

        server = subprocess.Popen([marketd, "--listen", "127.0.0.1:0",
                                   "--data-dir", os.path.join(work, "data")],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        keys, address = {}, None
        for line in server.stdout:
            if line.startswith("created API key for "):
                principal, rest = line[len("created API key for "):].split(": ", 1)
                keys[principal] = rest.split()[0]
            elif line.startswith("marketd listening on "):
                address = line.split()[-1]
            elif line.startswith("marketd ready"):
                break
        try:
            channel = grpc.insecure_channel(address)
            admin = [("authorization", "Bearer " + keys["admin"])]
            result = service_pb2_grpc.AdminServiceStub(channel).DefineRole(
                command_pb2.DefineRole(code="CRA", name="Clinical research associate"),
                metadata=admin, timeout=10)
            assert result.sequence == 1, result
            assert result.events[0].role_defined.code == "CRA", result

            ops = service_pb2_grpc.OpsServiceStub(channel)
            stats = ops.GetStats(service_pb2.GetStatsRequest(),
                                 metadata=[("authorization", "Bearer " + keys["ops"])], timeout=10)
            assert stats.last_sequence == 1, stats

            try:
                ops.GetStats(service_pb2.GetStatsRequest(),
                             metadata=[("authorization", "Bearer mk_wrong")], timeout=10)
                raise AssertionError("a wrong key was accepted")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNAUTHENTICATED, error
            print("python client: DefineRole, GetStats and a refused key behave as specified")
        finally:
            server.terminate()
            assert server.wait(timeout=30) == 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

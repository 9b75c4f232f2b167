import assert from "node:assert/strict";
import { adminGroupId } from "./admin_group_id.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";

Deno.test("the admin group is found by name in the group file, admin before adm before wheel", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/group`;
    await Deno.writeTextFile(file, "# comment\nroot:x:0:\nwheel:x:10:\nadm:x:4:syslog\n");
    assert.equal(await adminGroupId(realFileSystem, file), 4);
    await Deno.writeTextFile(file, "root:x:0:\nadmin:*:80:root\nwheel:*:0:root\n");
    assert.equal(await adminGroupId(realFileSystem, file), 80);
    await Deno.writeTextFile(file, "root:x:0:\nusers:x:100:\n");
    assert.equal(await adminGroupId(realFileSystem, file), undefined);
    assert.equal(await adminGroupId(realFileSystem, `${dir}/missing`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

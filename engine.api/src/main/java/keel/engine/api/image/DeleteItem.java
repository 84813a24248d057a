package keel.engine.api.image;

/** One line of an image removal: either a name untagged or an image (or layer) deleted. */
public record DeleteItem(String untagged, String deleted) {

    public static DeleteItem untagged(String name) {
        return new DeleteItem(name, null);
    }

    public static DeleteItem deleted(String id) {
        return new DeleteItem(null, id);
    }
}

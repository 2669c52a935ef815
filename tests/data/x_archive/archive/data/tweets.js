window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000001"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "Harbor",
            "indices" : [
              "75",
              "82"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [],
        "media" : [
          {
            "expanded_url" : "https://x.com/harbour_nurse/status/1600000000000000001/photo/1",
            "indices" : [
              "120",
              "143"
            ],
            "url" : "https://t.co/ph",
            "media_url" : "http://pbs.twimg.com/media/GateA1.jpg",
            "id_str" : "77",
            "id" : "77",
            "media_url_https" : "https://pbs.twimg.com/media/GateA1.jpg",
            "sizes" : {},
            "type" : "photo",
            "display_url" : "pic.x.com/ph"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "102"
      ],
      "favorite_count" : "12",
      "id_str" : "1600000000000000001",
      "truncated" : false,
      "retweet_count" : "30",
      "id" : "1600000000000000001",
      "created_at" : "Sun Mar 01 09:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "The north gate clinic has no more insulin. If anyone can reach us, please come #Harbor https://t.co/ph",
      "lang" : "en",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/harbour_nurse/status/1600000000000000001/photo/1",
            "indices" : [
              "120",
              "143"
            ],
            "url" : "https://t.co/ph",
            "media_url" : "http://pbs.twimg.com/media/GateA1.jpg",
            "id_str" : "77",
            "id" : "77",
            "media_url_https" : "https://pbs.twimg.com/media/GateA1.jpg",
            "sizes" : {},
            "type" : "photo",
            "display_url" : "pic.x.com/ph"
          }
        ]
      }
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000002"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Relay",
            "screen_name" : "relay_desk",
            "indices" : [
              "0",
              "11"
            ],
            "id_str" : "2002",
            "id" : "2002"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "50"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000002",
      "created_at" : "Sun Mar 01 12:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "@relay_desk thank you, we recieved the water &lt;3",
      "lang" : "en",
      "in_reply_to_status_id_str" : "1500000000000000004",
      "in_reply_to_status_id" : "1500000000000000004",
      "in_reply_to_user_id_str" : "2002",
      "in_reply_to_screen_name" : "relay_desk"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000003"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Relay",
            "screen_name" : "relay_desk",
            "indices" : [
              "3",
              "14"
            ],
            "id_str" : "2002",
            "id" : "2002"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "78"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000003",
      "truncated" : false,
      "retweet_count" : "8",
      "id" : "1600000000000000003",
      "created_at" : "Sun Mar 01 14:10:00 +0000 2026",
      "favorited" : false,
      "full_text" : "RT @relay_desk: Convoy reached the old school at 14:00, water for 300 families",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000004"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "44"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000004",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000004",
      "created_at" : "Sun Mar 01 14:30:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Video of the convoy arriving https://t.co/vd",
      "lang" : "und",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/harbour_nurse/status/1600000000000000004/video/1",
            "indices" : [
              "30",
              "53"
            ],
            "url" : "https://t.co/vd",
            "media_url" : "http://pbs.twimg.com/ext_tw_video_thumb/78/pu/img/Conv0y.jpg",
            "id_str" : "78",
            "id" : "78",
            "media_url_https" : "https://pbs.twimg.com/ext_tw_video_thumb/78/pu/img/Conv0y.jpg",
            "type" : "video",
            "video_info" : {
              "aspect_ratio" : [
                "9",
                "16"
              ],
              "duration_millis" : "12000",
              "variants" : [
                {
                  "bitrate" : "832000",
                  "content_type" : "video/mp4",
                  "url" : "https://video.twimg.com/ext_tw_video/78/pu/vid/360x640/Conv0y.mp4?tag=12"
                }
              ]
            },
            "display_url" : "pic.x.com/vd"
          }
        ]
      }
    }
  }
]
